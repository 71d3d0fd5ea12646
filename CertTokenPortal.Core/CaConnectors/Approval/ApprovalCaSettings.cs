using System.Text.Json;

namespace CertTokenPortal.Core.CaConnectors.Approval;

/// <summary>The settings of an approval connector, kept as JSON in <see cref="CaConnectorRecord.SettingsJson"/>.</summary>
public sealed record ApprovalCaSettings(string Signer)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ApprovalCaSettings Read(CaConnectorRecord record) =>
        JsonSerializer.Deserialize<ApprovalCaSettings>(record.SettingsJson, Json) is { Signer.Length: > 0 } settings
            ? settings
            : throw new InvalidOperationException($"The approval connector '{record.Name}' names no signing CA.");

    public string Write() => JsonSerializer.Serialize(this, Json);
}
