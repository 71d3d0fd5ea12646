using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>Which tokens can be renewed at all, whoever asks.</summary>
public static class RenewalChecks
{
    public static PortalError? CheckToken(CertificateToken token, RenewalMode mode, TokenCertificate? pendingRenewal)
    {
        if (token.Revoked)
        {
            if (token.RevocationReason == RevocationReason.CertificateHold.ToName())
            {
                return RenewalErrors.OnHold(token.Serial);
            }
            return mode == RenewalMode.SameKey && token.RevocationReason == RevocationReason.KeyCompromise.ToName()
                ? RenewalErrors.KeyCompromised(token.Serial)
                : RenewalErrors.Revoked(token.Serial, token.RevocationReason);
        }
        if (token.RolloutState != RolloutState.Enrolled || token.CertificatePem is null)
        {
            return RenewalErrors.NotEnrolled(token.Serial, token.RolloutState);
        }
        if (token.CaName is null)
        {
            return RenewalErrors.Uploaded(token.Serial);
        }
        return pendingRenewal is null ? null : RenewalErrors.AlreadyPending(token.Serial, pendingRenewal.RequestId);
    }

    /// <summary>Whether the renew button makes sense for a token (the rules above decide when it is pressed).</summary>
    public static bool CanOffer(TokenView token) =>
        !token.Revoked && token.RolloutState == RolloutState.Enrolled && token.CaName is not null;
}
