using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>Reads a stored template as a certificate profile and as the info lists show.</summary>
internal static class TemplateMapping
{
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
