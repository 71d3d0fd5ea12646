using System.Text.RegularExpressions;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>Where a template takes the names of a certificate from.</summary>
public static class SubjectSources
{
    /// <summary>From the account: CN = the owner's user name, email from the account; a request may only repeat them.</summary>
    public const string Owner = "owner";

    /// <summary>From the request, within the template's rules (subject attributes, SAN types, patterns, count).</summary>
    public const string Csr = "csr";

    public static IReadOnlyList<string> All { get; } = [Owner, Csr];
}

/// <summary>What the CN of an owner-bound certificate is.</summary>
public static class CommonNameSources
{
    /// <summary>The owner's user name (login name).</summary>
    public const string UserName = "username";

    /// <summary>The owner's display name (else given name and surname; else the user name).</summary>
    public const string DisplayName = "displayname";

    public static IReadOnlyList<string> All { get; } = [UserName, DisplayName];
}

/// <summary>
/// What a template allows as names, read from its record: the source, and for <c>csr</c> the subject attribute types,
/// SAN types, DNS and email patterns and the most SANs. Renewal and enrolment both judge names with these rules.
/// </summary>
public sealed partial record TemplateNameRules(
    string TemplateName,
    string Source,
    IReadOnlyList<string> AllowedRdns,
    IReadOnlyList<string> SanTypes,
    IReadOnlyList<string> DnsPatterns,
    IReadOnlyList<string> EmailPatterns,
    int MaxSans,
    bool EmailProtection)
{
    /// <summary>With <c>owner</c>: <see cref="CommonNameSources.UserName"/> or <see cref="CommonNameSources.DisplayName"/>.</summary>
    public string CommonName { get; init; } = CommonNameSources.UserName;

    /// <summary>With <c>owner</c>: the account's email goes into an rfc822Name SAN.</summary>
    public bool OwnerEmailSan { get; init; }

    public bool CnIsDisplayName => CommonName == CommonNameSources.DisplayName;

    public const int DefaultMaxSans = 10;
    public const int MaxMaxSans = 100;

    /// <summary>The SAN types a template may allow, as they are written.</summary>
    public static IReadOnlyList<string> KnownSanTypes { get; } = ["DNS", "IP", "email", "UPN", "URI"];

    /// <summary>Subject attribute short names and their OIDs.</summary>
    public static IReadOnlyDictionary<string, string> KnownRdns { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["CN"] = "2.5.4.3", ["O"] = "2.5.4.10", ["OU"] = "2.5.4.11", ["C"] = "2.5.4.6", ["L"] = "2.5.4.7", ["ST"] = "2.5.4.8",
        ["street"] = "2.5.4.9", ["serialNumber"] = "2.5.4.5", ["title"] = "2.5.4.12", ["GN"] = "2.5.4.42", ["SN"] = "2.5.4.4",
        ["DC"] = "0.9.2342.19200300.100.1.25", ["UID"] = "0.9.2342.19200300.100.1.1", ["emailAddress"] = "1.2.840.113549.1.9.1",
    };

    public bool FromOwner => Source == SubjectSources.Owner;

    public static TemplateNameRules From(CertificateTemplateRecord template) => new(
        template.Name,
        SubjectSources.All.Contains(template.SubjectSource) ? template.SubjectSource : SubjectSources.Owner,
        CertificateVocabulary.SplitList(template.AllowedRdns),
        CertificateVocabulary.SplitList(template.AllowedSanTypes),
        CertificateVocabulary.SplitList(template.DnsPatterns),
        CertificateVocabulary.SplitList(template.EmailPatterns),
        template.MaxSans,
        CertificateVocabulary.SplitList(template.ExtendedKeyUsage).Contains("emailProtection", StringComparer.OrdinalIgnoreCase))
    {
        CommonName = CommonNameSources.All.Contains(template.SubjectCommonName) ? template.SubjectCommonName : CommonNameSources.UserName,
        OwnerEmailSan = template.OwnerEmailSan,
    };

    /// <summary>The short name of an attribute OID ("CN"), or the OID when it has none.</summary>
    public static string RdnName(string oid) => KnownRdns.FirstOrDefault(r => r.Value == oid).Key ?? oid;

    /// <summary>Whether <paramref name="dnsName"/> matches one of the DNS patterns (or any name when none is set).</summary>
    public bool AllowsDns(string dnsName) => DnsPatterns.Count == 0 || DnsPatterns.Any(p => Glob(p, dnsName));

    public bool AllowsEmail(string email) =>
        EmailPatterns.Count == 0 || EmailPatterns.Any(p => Glob(p.StartsWith('@') ? "*" + p : p, email));

    /// <summary>A pattern's <c>*</c> stands for any run of characters (so <c>*.corp.example</c> covers every name below it); case is ignored.</summary>
    private static bool Glob(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    /// <summary>Checks and canonicalises what an admin wrote; each refusal names the field.</summary>
    public static Result<CertificateTemplateRecord> Validate(CertificateTemplateRecord values)
    {
        var source = string.IsNullOrWhiteSpace(values.SubjectSource) ? SubjectSources.Owner : values.SubjectSource.Trim().ToLowerInvariant();
        if (!SubjectSources.All.Contains(source))
        {
            return PortalError.Validation($"subject_source '{values.SubjectSource}' is not known; use owner or csr.");
        }
        var rdns = new List<string>();
        foreach (var rdn in CertificateVocabulary.SplitList(values.AllowedRdns))
        {
            var known = KnownRdns.Keys.FirstOrDefault(k => string.Equals(k, rdn, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                return PortalError.Validation($"'{rdn}' is not a subject attribute; use {string.Join(", ", KnownRdns.Keys)}.");
            }
            rdns.Add(known);
        }
        var sanTypes = new List<string>();
        foreach (var type in CertificateVocabulary.SplitList(values.AllowedSanTypes))
        {
            var known = KnownSanTypes.FirstOrDefault(k => string.Equals(k, type, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                return PortalError.Validation($"'{type}' is not a SAN type; use {string.Join(", ", KnownSanTypes)}.");
            }
            sanTypes.Add(known);
        }
        var dns = CertificateVocabulary.SplitList(values.DnsPatterns).Select(p => p.ToLowerInvariant()).ToList();
        if (dns.FirstOrDefault(p => !DnsPattern().IsMatch(p)) is { } badDns)
        {
            return PortalError.Validation($"'{badDns}' is not a DNS pattern; write a name (host.example) or a name below a domain (*.corp.example).");
        }
        var emails = CertificateVocabulary.SplitList(values.EmailPatterns).Select(p => p.ToLowerInvariant()).ToList();
        if (emails.FirstOrDefault(p => !EmailPattern().IsMatch(p)) is { } badEmail)
        {
            return PortalError.Validation($"'{badEmail}' is not an email pattern; write an address (a@corp.example) or a domain (*@corp.example).");
        }
        var commonName = string.IsNullOrWhiteSpace(values.SubjectCommonName) ? CommonNameSources.UserName : values.SubjectCommonName.Trim().ToLowerInvariant();
        if (!CommonNameSources.All.Contains(commonName))
        {
            return PortalError.Validation($"subject_cn '{values.SubjectCommonName}' is not known; use username or displayname.");
        }
        if (values.MaxSans is < 0 or > MaxMaxSans)
        {
            return PortalError.Validation($"max_sans must be between 0 and {MaxMaxSans}, not {values.MaxSans}.");
        }
        values.SubjectSource = source;
        values.SubjectCommonName = commonName;
        values.AllowedRdns = string.Join(",", rdns.Distinct());
        values.AllowedSanTypes = string.Join(",", sanTypes.Distinct());
        values.DnsPatterns = string.Join(" ", dns.Distinct());
        values.EmailPatterns = string.Join(" ", emails.Distinct());
        values.CopySans = sanTypes.Count > 0;
        return values;
    }

    /// <summary>One line for audit entries and the template list.</summary>
    public string Describe() => FromOwner
        ? "names from the owner's account" + (CnIsDisplayName ? ", CN = display name" : "") + (OwnerEmailSan ? ", email in a SAN" : "")
        : $"names from the request: attributes {Or(AllowedRdns, "none")}, SAN types {Or(SanTypes, "none")}, DNS {Or(DnsPatterns, "any")}, email {Or(EmailPatterns, "any")}, at most {MaxSans} SANs";

    private static string Or(IReadOnlyList<string> list, string empty) => list.Count == 0 ? empty : string.Join(" ", list);

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsPattern();

    [GeneratedRegex(@"^([a-z0-9._%+*-]+)?@([a-z0-9-]+\.)*[a-z0-9-]+$")]
    private static partial Regex EmailPattern();
}
