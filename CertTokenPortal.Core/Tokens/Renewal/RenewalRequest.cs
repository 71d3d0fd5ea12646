using CertTokenPortal.Core.Tokens.Enrolment;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>How a renewal gets its key: the stored public key again, a new CSR, or a new key made on the server.</summary>
public enum RenewalMode
{
    SameKey,
    NewCsr,
    NewKey,
}

/// <summary>
/// A renewal of token <see cref="Serial"/>, with /token/init's key parameters: a CSR (<see cref="KeyRequest.Csr"/> or
/// <see cref="KeyRequest.ParsedCsr"/>) or <see cref="KeyRequest.GenerateKey"/> rekey; neither renews with the same key.
/// </summary>
public sealed record RenewalRequest(string Serial) : KeyRequest
{
    public RenewalMode Mode => GenerateKey ? RenewalMode.NewKey
        : ParsedCsr is not null || !string.IsNullOrWhiteSpace(Csr) ? RenewalMode.NewCsr
        : RenewalMode.SameKey;

    /// <summary>The request as an enrolment's, so that the enrolment's readers and rules check it alike.</summary>
    internal EnrolmentRequest AsEnrolment() => new(this);
}

/// <summary>
/// What a renewal did: the token (with its new certificate, or unchanged while the renewal waits), the state of the
/// renewal (<c>enrolled</c>, <c>pending</c>, <c>denied</c>), and for a new server key the PKCS#12 shown this once.
/// </summary>
public sealed record RenewalResult(TokenView Token, RenewalMode Mode, string State)
{
    public string? RequestId { get; init; }
    public string? ReplacedCertificateSerial { get; init; }
    /// <summary>When the replaced certificate is revoked as superseded; null when it is left to expire.</summary>
    public DateTime? ReplacedRevokeAfter { get; init; }
    public string? Message { get; init; }
    public byte[]? Pkcs12 { get; init; }
    public string? Pkcs12Password { get; init; }
    public IReadOnlyList<string> ChainPem { get; init; } = [];
}

public static class RenewalModeNames
{
    public static string ToName(this RenewalMode mode) => mode switch
    {
        RenewalMode.SameKey => "same_key",
        RenewalMode.NewCsr => "new_csr",
        _ => "new_key",
    };
}
