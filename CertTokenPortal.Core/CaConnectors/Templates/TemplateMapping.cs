using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Tokens.Enrolment;

namespace CertTokenPortal.Core.CaConnectors.Templates;

/// <summary>Finds a CA's template, and reads it as a certificate profile, a subject and as the info lists show.</summary>
internal static class TemplateMapping
{
    /// <summary>The template <paramref name="name"/> of <paramref name="ca"/> (its default when none is named), or why there is none.</summary>
    public static Result<CertificateTemplateRecord> FindTemplate(this CaConnectorRecord ca, string? name)
    {
        var wanted = string.IsNullOrWhiteSpace(name) ? ca.DefaultTemplate : name.Trim();
        var template = ca.Templates.FirstOrDefault(t => string.Equals(t.Name, wanted, StringComparison.OrdinalIgnoreCase));
        if (template is not null)
        {
            return template;
        }
        var known = ca.Templates.Count == 0 ? "it has none" : $"it has {string.Join(", ", ca.Templates.Select(t => $"'{t.Name}'"))}";
        return PortalError.Validation(string.IsNullOrWhiteSpace(wanted)
            ? $"The CA '{ca.Name}' has no default template; name one ({known})."
            : $"There is no template '{wanted}' on the CA '{ca.Name}' ({known}).");
    }

    /// <summary>
    /// The certificate's names under the template's rules (<see cref="NameBinding"/>): the owner's, or the request's
    /// within the rules, with the template's and the request's owner components added.
    /// </summary>
    public static Result<BoundNames> BindNames(this CertificateTemplateRecord template, CaIssueRequest request) =>
        NameBinding.Bind(TemplateNameRules.From(template), request.Csr, request.Owner,
            CertificateVocabulary.SplitList(template.SubjectComponents).Concat(request.ExtraSubjectComponents));

    /// <summary>The template made concrete for one key: usages the key cannot serve are left out (<see cref="CertificateProfile.FitTo"/>).</summary>
    public static CertificateProfile ToProfile(this CertificateTemplateRecord template, KeyAlgorithmKind key) => new CertificateProfile(
        template.ValidityDays,
        CertificateVocabulary.ToKeyUsageFlags(CertificateVocabulary.SplitList(template.KeyUsage)),
        CertificateVocabulary.ToExtendedKeyUsageOids(CertificateVocabulary.SplitList(template.ExtendedKeyUsage)),
        template.CopySans).FitTo(key);

    public static TemplateInfo ToInfo(this CertificateTemplateRecord template) => new(
        template.Name,
        template.ValidityDays,
        CertificateVocabulary.SplitList(template.KeyUsage),
        CertificateVocabulary.SplitList(template.ExtendedKeyUsage),
        template.CopySans,
        CertificateVocabulary.SplitList(template.SubjectComponents))
    {
        SubjectSource = TemplateNameRules.From(template).Source,
        AllowedRdns = CertificateVocabulary.SplitList(template.AllowedRdns),
        SanTypes = CertificateVocabulary.SplitList(template.AllowedSanTypes),
        DnsPatterns = CertificateVocabulary.SplitList(template.DnsPatterns),
        EmailPatterns = CertificateVocabulary.SplitList(template.EmailPatterns),
        MaxSans = template.MaxSans,
        StaffOnly = template.StaffOnly,
        SubjectCommonName = TemplateNameRules.From(template).CommonName,
        OwnerEmailSan = template.OwnerEmailSan,
        NameRules = TemplateNameRules.From(template).Describe() + (template.StaffOnly ? "; staff only" : ""),
        RenewalWindowDays = template.RenewalWindowDays,
        SupersededGraceDays = template.SupersededGraceDays,
        AllowSameKeyRenewal = template.AllowSameKeyRenewal,
        RenewalRules = Tokens.Renewal.TemplateRenewalRules.Describe(template),
    };
}
