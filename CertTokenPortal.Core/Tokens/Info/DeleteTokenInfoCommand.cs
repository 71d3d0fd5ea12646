using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Info;

/// <summary>What to delete: privacyIDEA's <c>DELETE /token/info/&lt;serial&gt;/&lt;key&gt;</c>.</summary>
public sealed record TokenInfoKey(string Serial, string? Key);

/// <summary>
/// Deletes one token-info entry, as privacyIDEA's <c>delete_tokeninfo_api</c>: admins only, never one of the portal's
/// own keys. As in privacyIDEA a key the token does not have is no error (the answer is still true), so that a
/// clean-up script can delete blindly; the audit entry says that nothing was there.
/// </summary>
public sealed class DeleteTokenInfoCommand(TokenUpdater updater, UseCaseGuard guard)
{
    public Task<Result<TokenView>> ExecuteAsync(Actor actor, TokenInfoKey request, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.SetTokenInfo, TokenInfoErrors.NotAllowed, refusal => TokenUpdater.Refused(request.Serial, refusal),
            () => DeleteAsync(actor, request, ct), ct);

    private async Task<Result<TokenView>> DeleteAsync(Actor actor, TokenInfoKey request, CancellationToken ct)
    {
        if (TokenInfoRules.CheckSettableKey(request.Key) is { } invalid)
        {
            return invalid;
        }
        var key = request.Key!;
        return await updater.UpdateAsync(actor, request.Serial, async (db, token) =>
        {
            var entries = db.Set<TokenInfoEntry>();
            var entry = await entries.FirstOrDefaultAsync(e => e.TokenId == token.Id && e.Key == key, ct);
            if (entry is null)
            {
                return $"info '{key}' was not set; nothing deleted.";
            }
            entries.Remove(entry);
            return $"info '{key}' deleted (was '{entry.Value}').";
        }, serialized: false, ct);
    }
}
