using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>Builds the PKCS#10 request for a key generated on the server, so that it goes through the same CA path as an uploaded CSR.</summary>
public sealed class CsrBuilder
{
    /// <summary>A signed CSR for <paramref name="key"/> with <paramref name="subject"/>, already parsed.</summary>
    public ParsedCsr Build(AsymmetricAlgorithm key, X500DistinguishedName subject) => throw new NotImplementedException("PKI engine issue");
}
