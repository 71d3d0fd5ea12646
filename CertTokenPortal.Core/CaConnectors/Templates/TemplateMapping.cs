using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

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

    /// <summary>The certificate's subject: the CSR's, with the template's and the request's owner components added.</summary>
    public static Result<X500DistinguishedName> ComposeSubject(this CertificateTemplateRecord template, CaIssueRequest request) =>
        SubjectComposer.Compose(request.Csr.Subject,
            CertificateVocabulary.SplitList(template.SubjectComponents).Concat(request.ExtraSubjectComponents),
            request.Owner.Realm, request.Owner.Email);

    public static CertificateProfile ToProfile(this CertificateTemplateRecord template) => new(
        template.ValidityDays,
        CertificateVocabulary.ToKeyUsageFlags(CertificateVocabulary.SplitList(template.KeyUsage)),
        CertificateVocabulary.ToExtendedKeyUsageOids(CertificateVocabulary.SplitList(template.ExtendedKeyUsage)),
        template.CopySans);

    public static TemplateInfo ToInfo(this CertificateTemplateRecord template) => new(
        template.Name,
        template.ValidityDays,
        CertificateVocabulary.SplitList(template.KeyUsage),
        CertificateVocabulary.SplitList(template.ExtendedKeyUsage),
        template.CopySans,
        CertificateVocabulary.SplitList(template.SubjectComponents));
}
