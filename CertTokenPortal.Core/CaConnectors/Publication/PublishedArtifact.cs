using System.Security.Cryptography;
using System.Text;

namespace CertTokenPortal.Core.CaConnectors.Publication;

/// <summary>
/// A public CA artifact (CA certificate or CRL), encoded once: DER and PEM bytes ready to send, and the validators a
/// relying party's cache revalidates with (<see cref="Tag"/>, a hash of the DER, and <see cref="LastModified"/>).
/// </summary>
public sealed class PublishedArtifact
{
    public PublishedArtifact(byte[] der, string pemLabel, DateTimeOffset lastModified)
    {
        Der = der;
        Pem = Encoding.ASCII.GetBytes(new string(PemEncoding.Write(pemLabel, der)) + "\n");
        Tag = Convert.ToHexStringLower(SHA256.HashData(der).AsSpan(0, 16));
        // HTTP dates have whole seconds; a sub-second part would make If-Modified-Since never match.
        LastModified = new DateTimeOffset(lastModified.UtcTicks - lastModified.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    public byte[] Der { get; }

    public byte[] Pem { get; }

    /// <summary>Hex of the first 128 bits of the DER's SHA-256: equal bytes, equal tag, on every instance.</summary>
    public string Tag { get; }

    public DateTimeOffset LastModified { get; }
}
