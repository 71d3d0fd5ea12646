using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>A template's renewal settings: the window for end users, the superseded grace period, same-key renewal.</summary>
public static class TemplateRenewalRules
{
    /// <summary>The longest renewal window and grace period, in days (ten years).</summary>
    public const int MaxDays = 3650;

    public static PortalError? Check(TemplateRequest request)
    {
        if (request.RenewalWindowDays is < 0 or > MaxDays)
        {
            return PortalError.Validation($"renewal_window_days must be 0 to {MaxDays} days before expiry; {request.RenewalWindowDays} is not.");
        }
        if (request.SupersededGraceDays is < 0 or > MaxDays)
        {
            return PortalError.Validation($"superseded_grace_days must be 0 (revoke at once) to {MaxDays} days; {request.SupersededGraceDays} is not. Leave replaced certificates to expire with superseded_grace_days=never.");
        }
        return null;
    }

    /// <summary>Copies what the request says onto the template; what it leaves out stays as it was.</summary>
    public static void Apply(TemplateRequest request, CertificateTemplateRecord template)
    {
        template.RenewalWindowDays = request.RenewalWindowDays ?? template.RenewalWindowDays;
        template.AllowSameKeyRenewal = request.AllowSameKeyRenewal ?? template.AllowSameKeyRenewal;
        if (request.LeaveSupersededToExpire == true)
        {
            template.SupersededGraceDays = null;
        }
        else if (request.SupersededGraceDays is { } days)
        {
            template.SupersededGraceDays = days;
        }
    }

    /// <summary>The rules in words, as the renew dialog and the audit log show them.</summary>
    public static string Describe(CertificateTemplateRecord template) =>
        $"end users renew from {Days(template.RenewalWindowDays)} before expiry, staff at any time; " +
        (template.SupersededGraceDays switch
        {
            null => "a replaced certificate is left to expire",
            0 => "a replaced certificate is revoked (superseded) at once",
            { } days => $"a replaced certificate is revoked (superseded) {Days(days)} after the renewal",
        }) +
        (template.AllowSameKeyRenewal ? "; renewal may keep the key" : "; renewal needs a new key");

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}
