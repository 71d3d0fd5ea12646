using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Reads and checks PKCS#10 requests: PEM, PEM without header lines or line breaks, base64 DER and raw DER; verifies
/// the signature; refuses weak keys, unknown curves, SHA-1/MD5 signatures, empty subjects and inputs over 64 KiB,
/// each with its own message.
/// </summary>
public sealed class CsrParser
{
    /// <summary>The largest CSR input accepted.</summary>
    public const int MaxInputBytes = 64 * 1024;

    /// <summary>Parses a CSR given as text (PEM, bare base64).</summary>
    public Result<ParsedCsr> Parse(string input) => throw new NotImplementedException("PKI engine issue");

    /// <summary>Parses a CSR given as bytes (DER, or the bytes of a PEM/base64 text file).</summary>
    public Result<ParsedCsr> Parse(ReadOnlySpan<byte> input) => throw new NotImplementedException("PKI engine issue");
}
