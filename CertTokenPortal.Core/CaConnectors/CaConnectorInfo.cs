namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A connector as lists show it: never with keys or passwords.</summary>
public sealed record CaConnectorInfo(
    string Name,
    string Type,
    string? Subject,
    string? DefaultTemplate,
    DateTime? NotAfter,
    IReadOnlyList<TemplateInfo> Templates);
