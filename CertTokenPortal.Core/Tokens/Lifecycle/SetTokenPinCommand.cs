using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Secrets;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>A PIN change: the new PIN and, for a token with a stored PKCS#12, the passphrase that protects it now.</summary>
/// <param name="Serial">The token.</param>
/// <param name="NewPin">privacyIDEA's <c>otppin</c> (or <c>pin</c>).</param>
/// <param name="CurrentPin">
/// The portal's extension <c>current_pin</c>: the current PIN, or the one-time password shown at enrolment when no
/// PIN was given. Needed only when the token holds a stored PKCS#12.
/// </param>
public sealed record TokenPinChange(string Serial, string? NewPin, string? CurrentPin);

/// <summary>
/// Sets the token PIN (kept only as a hash) and, when the token holds a PKCS#12 of a key generated on the server,
/// protects that file with the new PIN, so that the next download opens with it and no longer with the old one.
/// </summary>
/// <remarks>
/// Why the caller gives the current PIN rather than the portal rebuilding the file on each download: the portal never
/// holds a PIN, only its hash, and it keeps the private key only inside the PIN-protected PKCS#12. A copy of the
/// database and its key ring therefore does not yet give away the keys; a design that kept the private keys under
/// the Data Protection key alone (to build the file with the current PIN at download) would give that up, would need
/// the PIN at every download anyway, and could not take over existing tokens, whose keys exist only inside their
/// PKCS#12. Opening the file with the current PIN is also the proof that the caller knows it: a wrong one is refused
/// and nothing changes. A forgotten PIN cannot be reset for a stored PKCS#12: nobody can open it any more.
/// </remarks>
public sealed class SetTokenPinCommand(TokenUpdater updater, UseCaseGuard guard, ISecretProtector secrets, Pkcs12PasswordChange pkcs12)
{
    public Task<Result<TokenView>> ExecuteAsync(Actor actor, TokenPinChange change, CancellationToken ct = default) =>
        guard.RunAsync(actor, null, null, refusal => TokenUpdater.Refused(change.Serial, refusal),
            () => SetAsync(actor, change, ct), ct);

    private async Task<Result<TokenView>> SetAsync(Actor actor, TokenPinChange change, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(change.NewPin))
        {
            return PortalError.Validation("Give the new PIN ('otppin' or 'pin').");
        }
        if ((InputLimits.CheckPin(change.NewPin) ?? CheckCurrentPin(change.CurrentPin)) is { } invalid)
        {
            return invalid;
        }
        return await updater.UpdateAsync(actor, change.Serial, TokenUpdater.Sync(token => Apply(token, change.NewPin, change.CurrentPin)), serialized: false, ct);
    }

    private Result<string> Apply(CertificateToken token, string newPin, string? currentPin)
    {
        if (token.Revoked)
        {
            return PortalError.TokenLocked($"Token {token.Serial} is revoked; its PIN cannot be changed any more.");
        }
        if (token.EncryptedPkcs12 is null)
        {
            // Nothing is protected by the PIN; a current PIN that is given is still checked, never ignored.
            if (currentPin is not null && token.PinHash is not null && !TokenPins.Verify(token.PinHash, currentPin))
            {
                return TokenErrors.WrongCurrentPin(token.Serial);
            }
            token.PinHash = TokenPins.Hash(newPin);
            return "PIN changed.";
        }
        if (currentPin is null)
        {
            return TokenErrors.CurrentPinNeeded(token.Serial);
        }
        var file = secrets.Unprotect(SecretPurposes.TokenPkcs12, token.EncryptedPkcs12);
        if (pkcs12.Change(file, currentPin, newPin) is not { } reprotected)
        {
            return TokenErrors.WrongCurrentPin(token.Serial);
        }
        token.EncryptedPkcs12 = secrets.Protect(SecretPurposes.TokenPkcs12, reprotected);
        token.PinHash = TokenPins.Hash(newPin);
        return "PIN changed; the stored PKCS#12 is now protected by the new PIN.";
    }

    private static PortalError? CheckCurrentPin(string? currentPin) => currentPin switch
    {
        null => null,
        "" => PortalError.Validation("current_pin is empty; give the PIN (or one-time password) that protects the token now, or leave it out."),
        _ => InputLimits.CheckPin(currentPin) is null ? null : PortalError.Validation($"current_pin is not a PIN: at most {InputLimits.MaxPinLength} printable characters."),
    };
}
