using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>When a token may be renewed: end users within the template's window before expiry, staff at any time.</summary>
public static class RenewalWindow
{
    /// <summary>The moment the window opens for a certificate that expires at <paramref name="notAfter"/>.</summary>
    public static DateTime OpensAt(DateTime notAfter, int windowDays) => notAfter.AddDays(-windowDays);

    /// <summary>Staff (who may enrol for others) renew at any time.</summary>
    public static bool Applies(Actor actor) => !actor.Allows(Permission.EnrolForOthers);

    public static Common.PortalError? Check(Actor actor, CertificateToken token, int windowDays, DateTime now)
    {
        if (!Applies(actor) || token.NotAfter is not { } notAfter)
        {
            return null;
        }
        var opens = OpensAt(notAfter, windowDays);
        return now < opens ? RenewalErrors.OutsideWindow(token.Serial, opens, windowDays) : null;
    }
}
