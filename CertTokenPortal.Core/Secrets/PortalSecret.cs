namespace CertTokenPortal.Core.Secrets;

/// <summary>
/// An application secret kept in the database (so every portal instance shares it), encrypted with Data Protection.
/// </summary>
public class PortalSecret
{
    /// <summary>What the secret is for, e.g. <c>jwt-signing-key</c>.</summary>
    public string Name { get; set; } = "";
    public byte[] ProtectedValue { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}
