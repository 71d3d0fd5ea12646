namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A connector as lists show it: never with keys or passwords.</summary>
public sealed record CaConnectorInfo(
    string Name,
    string Type,
    string? Subject,
    string? DefaultTemplate,
    DateTime? NotAfter,
    IReadOnlyList<TemplateInfo> Templates)
{
    /// <summary>
    /// The connector's changeable settings by their API names (e.g. <c>crl_validity_days</c>, <c>signer</c>), never a
    /// secret: what privacyIDEA's <c>GET /caconnector/&lt;name&gt;</c> shows under <c>data</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}
