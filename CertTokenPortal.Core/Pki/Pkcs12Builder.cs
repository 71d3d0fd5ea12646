using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Builds PKCS#12 files: key, certificate and CA chain with a friendly name; PBES2 AES-256-CBC with PBKDF2-HMAC-SHA256
/// and an HMAC-SHA256 MAC, so that OpenSSL 3 (without -legacy), .NET, NSS and GnuTLS all open it.
/// </summary>
public sealed class Pkcs12Builder
{
    public byte[] Build(AsymmetricAlgorithm privateKey, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain,
        string password, string friendlyName) => throw new NotImplementedException("PKI engine issue");
}
