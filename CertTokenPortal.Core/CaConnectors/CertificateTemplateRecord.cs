namespace CertTokenPortal.Core.CaConnectors;

/// <summary>What a CA puts into a certificate it issues under this template name.</summary>
public class CertificateTemplateRecord
{
    public int Id { get; set; }
    public int CaConnectorId { get; set; }
    public CaConnectorRecord CaConnector { get; set; } = null!;

    public string Name { get; set; } = "";
    public int ValidityDays { get; set; }
    /// <summary>RFC 5280 key usage names, comma separated (e.g. "digitalSignature,keyEncipherment").</summary>
    public string KeyUsage { get; set; } = "";
    /// <summary>Extended key usage names or OIDs, comma separated (e.g. "clientAuth,emailProtection").</summary>
    public string ExtendedKeyUsage { get; set; } = "";
    /// <summary>Whether subject alternative names (DNS, email, UPN) are copied from the CSR.</summary>
    public bool CopySans { get; set; }
    /// <summary>Owner attributes added to the subject: "email" (emailAddress) and/or "realm" (OU), comma separated.</summary>
    public string SubjectComponents { get; set; } = "";

    /// <summary>Where the names come from: <c>owner</c> (the account) or <c>csr</c> (the request, within the rules below).</summary>
    public string SubjectSource { get; set; } = Tokens.Enrolment.SubjectSources.Owner;
    /// <summary>With <c>csr</c>: the subject attribute types a request may carry, e.g. "CN,O,OU,C".</summary>
    public string AllowedRdns { get; set; } = "";
    /// <summary>The SAN types a request may carry ("DNS,IP,email,UPN,URI"); empty: none.</summary>
    public string AllowedSanTypes { get; set; } = "";
    /// <summary>DNS names allowed with <c>csr</c>, space separated, e.g. "*.corp.example vpn.example"; empty: any.</summary>
    public string DnsPatterns { get; set; } = "";
    /// <summary>Email addresses allowed with <c>csr</c>, space separated, e.g. "*@corp.example"; empty: any.</summary>
    public string EmailPatterns { get; set; } = "";
    /// <summary>The most subject alternative names one certificate may carry.</summary>
    public int MaxSans { get; set; } = Tokens.Enrolment.TemplateNameRules.DefaultMaxSans;
    /// <summary>Only staff may choose it; end users only when a policy names it.</summary>
    public bool StaffOnly { get; set; }

    /// <summary>End users may renew from this many days before expiry (staff at any time).</summary>
    public int RenewalWindowDays { get; set; } = DefaultRenewalWindowDays;
    /// <summary>
    /// Days after a renewal at which the replaced certificate is revoked as <c>superseded</c>: 0 at once, null never
    /// (it is left to expire).
    /// </summary>
    public int? SupersededGraceDays { get; set; }
    /// <summary>Whether a certificate may be renewed with its key (re-certified); otherwise only a rekey renews.</summary>
    public bool AllowSameKeyRenewal { get; set; } = true;

    public const int DefaultRenewalWindowDays = 30;
    /// <summary>With <c>owner</c>: what the CN is, <c>username</c> (default) or <c>displayname</c> (falling back to the user name).</summary>
    public string SubjectCommonName { get; set; } = Tokens.Enrolment.CommonNameSources.UserName;
    /// <summary>With <c>owner</c>: the account's email goes into an rfc822Name SAN (emailProtection templates always do).</summary>
    public bool OwnerEmailSan { get; set; }
}
