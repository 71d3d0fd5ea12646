namespace CertTokenPortal.Core.CaConnectors.Templates;

/// <summary>A template as an admin writes it: names as in RFC 5280 (e.g. "digitalSignature,keyEncipherment", "clientAuth").</summary>
public sealed record TemplateRequest(string Name, int ValidityDays)
{
    public string? KeyUsage { get; init; }
    public string? ExtendedKeyUsage { get; init; }
    public bool CopySans { get; init; }
    /// <summary>"email" and/or "realm".</summary>
    public string? SubjectComponents { get; init; }
    /// <summary>Make this the CA's default template (used when a request names none).</summary>
    public bool MakeDefault { get; init; }

    /// <summary><c>owner</c> (default: names from the account) or <c>csr</c> (names from the request within the rules below).</summary>
    public string? SubjectSource { get; init; }
    /// <summary>With <c>csr</c>: subject attribute types a request may carry, e.g. "CN,O,OU,C".</summary>
    public string? AllowedRdns { get; init; }
    /// <summary>SAN types a request may carry: DNS, IP, email, UPN, URI. Absent: DNS, email and UPN when <see cref="CopySans"/>.</summary>
    public string? SanTypes { get; init; }
    /// <summary>Allowed DNS names, e.g. "*.corp.example"; empty: any.</summary>
    public string? DnsPatterns { get; init; }
    /// <summary>Allowed email addresses, e.g. "*@corp.example"; empty: any.</summary>
    public string? EmailPatterns { get; init; }
    public int MaxSans { get; init; } = Tokens.Enrolment.TemplateNameRules.DefaultMaxSans;
    /// <summary>Only staff may choose it; end users only when a policy names it.</summary>
    public bool StaffOnly { get; init; }

    /// <summary>End users renew from this many days before expiry; null keeps the template's (30 for a new one).</summary>
    public int? RenewalWindowDays { get; init; }
    /// <summary>Days after a renewal until the old certificate is revoked as superseded (0 at once); null keeps the template's.</summary>
    public int? SupersededGraceDays { get; init; }
    /// <summary>Leave replaced certificates to expire (no superseded revocation); overrides <see cref="SupersededGraceDays"/>.</summary>
    public bool? LeaveSupersededToExpire { get; init; }
    /// <summary>Whether a renewal may keep the key; null keeps the template's (allowed for a new one).</summary>
    public bool? AllowSameKeyRenewal { get; init; }
    /// <summary>With <c>owner</c>: <c>username</c> (default) or <c>displayname</c> as the subject's CN.</summary>
    public string? SubjectCommonName { get; init; }
    /// <summary>With <c>owner</c>: put the account's email into an rfc822Name SAN.</summary>
    public bool OwnerEmailSan { get; init; }
}
