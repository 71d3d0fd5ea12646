namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A template as pickers show it.</summary>
public sealed record TemplateInfo(
    string Name,
    int ValidityDays,
    IReadOnlyList<string> KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsage,
    bool CopySans,
    IReadOnlyList<string> SubjectComponents)
{
    /// <summary><c>owner</c> or <c>csr</c>: where the certificate's names come from.</summary>
    public string SubjectSource { get; init; } = Tokens.Enrolment.SubjectSources.Owner;
    public IReadOnlyList<string> AllowedRdns { get; init; } = [];
    public IReadOnlyList<string> SanTypes { get; init; } = [];
    public IReadOnlyList<string> DnsPatterns { get; init; } = [];
    public IReadOnlyList<string> EmailPatterns { get; init; } = [];
    public int MaxSans { get; init; } = Tokens.Enrolment.TemplateNameRules.DefaultMaxSans;
    /// <summary>End users may use it only when a policy names it.</summary>
    public bool StaffOnly { get; init; }
    /// <summary>With <c>owner</c>: <c>username</c> or <c>displayname</c>, what the CN is.</summary>
    public string SubjectCommonName { get; init; } = Tokens.Enrolment.CommonNameSources.UserName;
    /// <summary>With <c>owner</c>: the account's email is put into an rfc822Name SAN.</summary>
    public bool OwnerEmailSan { get; init; }
    /// <summary>The name rules in one line, e.g. "names from the owner's account".</summary>
    public string NameRules { get; init; } = "";

    /// <summary>End users renew from this many days before expiry.</summary>
    public int RenewalWindowDays { get; init; } = CertificateTemplateRecord.DefaultRenewalWindowDays;
    /// <summary>Days after a renewal until the replaced certificate is revoked as superseded; null: left to expire.</summary>
    public int? SupersededGraceDays { get; init; }
    public bool AllowSameKeyRenewal { get; init; } = true;
    /// <summary>The renewal rules in one line, e.g. "renewable from 30 days before expiry; ...".</summary>
    public string RenewalRules { get; init; } = "";
}
