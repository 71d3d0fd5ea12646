using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Info;

/// <summary>What to set: privacyIDEA's <c>POST /token/info/&lt;serial&gt;/&lt;key&gt;</c> with <c>value</c>.</summary>
public sealed record TokenInfoValue(string Serial, string? Key, string? Value);

/// <summary>
/// Sets one token-info entry (an existing one with the same key is overwritten), as privacyIDEA's
/// <c>set_tokeninfo_api</c>: admins only (privacyIDEA's <c>settokeninfo</c>), never one of the portal's own keys.
/// The entry and its audit entry are saved together with the token's new version.
/// </summary>
public sealed class SetTokenInfoCommand(TokenUpdater updater, UseCaseGuard guard)
{
    public Task<Result<TokenView>> ExecuteAsync(Actor actor, TokenInfoValue request, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.SetTokenInfo, TokenInfoErrors.NotAllowed, refusal => TokenUpdater.Refused(request.Serial, refusal),
            () => SetAsync(actor, request, ct), ct);

    private async Task<Result<TokenView>> SetAsync(Actor actor, TokenInfoValue request, CancellationToken ct)
    {
        if ((TokenInfoRules.CheckSettableKey(request.Key) ?? TokenInfoRules.CheckValue(request.Value)) is { } invalid)
        {
            return invalid;
        }
        var key = request.Key!;
        var value = request.Value!;
        return await updater.UpdateAsync(actor, request.Serial, async (db, token) =>
        {
            var entries = db.Set<TokenInfoEntry>();
            var entry = await entries.FirstOrDefaultAsync(e => e.TokenId == token.Id && e.Key == key, ct);
            if (entry is not null)
            {
                entry.Value = value;
                return $"info '{key}' set to '{value}'.";
            }
            if (await entries.CountAsync(e => e.TokenId == token.Id, ct) >= InputLimits.MaxTokenInfoEntries)
            {
                return TokenInfoErrors.TooMany(token.Serial);
            }
            entries.Add(new TokenInfoEntry { TokenId = token.Id, Key = key, Value = value });
            return $"info '{key}' added: '{value}'.";
        }, serialized: false, ct);
    }
}
