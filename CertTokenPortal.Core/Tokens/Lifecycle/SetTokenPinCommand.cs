using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>Sets the token PIN (kept only as a hash). It does not re-encrypt a stored PKCS#12, which keeps its passphrase.</summary>
public sealed class SetTokenPinCommand(TokenUpdater updater, UseCaseGuard guard)
{
    public Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, string? pin, CancellationToken ct = default) =>
        guard.RunAsync(actor, null, null, refusal => TokenUpdater.Refused(serial, refusal),
            () => updater.UpdateAsync(actor, serial, TokenUpdater.Sync(token =>
        {
            if (string.IsNullOrEmpty(pin))
            {
                return PortalError.Validation("Give the new PIN ('pin').");
            }
            if (InputLimits.CheckPin(pin) is { } invalid)
            {
                return invalid;
            }
            token.PinHash = TokenPins.Hash(pin);
            return "PIN changed.";
        }), serialized: false, ct), ct);
}
