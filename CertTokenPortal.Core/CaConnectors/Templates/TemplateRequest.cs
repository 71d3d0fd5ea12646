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
}
