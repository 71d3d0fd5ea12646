using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>Changes a token's description (its owner or staff).</summary>
public sealed class SetTokenDescriptionCommand(TokenUpdater updater, UseCaseGuard guard)
{
    public const int MaxDescriptionLength = InputLimits.MaxDescriptionLength;

    public Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, string? description, CancellationToken ct = default) =>
        guard.RunAsync(actor, null, null, refusal => TokenUpdater.Refused(serial, refusal),
            () => updater.UpdateAsync(actor, serial, TokenUpdater.Sync(token =>
        {
            var text = description?.Trim() ?? "";
            if (InputLimits.CheckDescription(text) is { } invalid)
            {
                return invalid;
            }
            token.Description = text;
            return "Description changed.";
        }), serialized: false, ct), ct);
}
