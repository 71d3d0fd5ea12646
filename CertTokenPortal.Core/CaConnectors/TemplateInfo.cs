namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A template as pickers show it.</summary>
public sealed record TemplateInfo(
    string Name,
    int ValidityDays,
    IReadOnlyList<string> KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsage,
    bool CopySans,
    IReadOnlyList<string> SubjectComponents);
