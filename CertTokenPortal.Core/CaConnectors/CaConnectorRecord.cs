using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A configured CA connector: a unique name, the <see cref="Type"/> that picks its implementation, and its settings.</summary>
public class CaConnectorRecord
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The connector kind, e.g. <c>local</c> or <c>approval</c>.</summary>
    public string Type { get; set; } = "";
    /// <summary>The template used when a request names none.</summary>
    public string? DefaultTemplate { get; set; }
    /// <summary>Non-secret settings of the connector kind, as JSON (e.g. the signing CA of an approval connector).</summary>
    public string SettingsJson { get; set; } = "{}";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public LocalCaRecord? LocalCa { get; set; }
    public List<CertificateTemplateRecord> Templates { get; set; } = [];
}
