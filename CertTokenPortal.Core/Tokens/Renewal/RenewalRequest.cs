using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>How a renewal gets its key: the stored public key again, a new CSR, or a new key made on the server.</summary>
public enum RenewalMode
{
    SameKey,
    NewCsr,
    NewKey,
}

/// <summary>
/// A renewal of token <see cref="Serial"/>, with /token/init's parameters: a CSR (<see cref="Csr"/> or
/// <see cref="ParsedCsr"/>) or <see cref="GenerateKey"/> rekey; neither renews with the same key.
/// </summary>
public sealed record RenewalRequest(string Serial)
{
    public string? Csr { get; init; }
    /// <summary>A request already parsed and checked at the edge (the dialog shows it first).</summary>
    public ParsedCsr? ParsedCsr { get; init; }
    public bool GenerateKey { get; init; }
    public string? KeyType { get; init; }
    public string? KeySize { get; init; }
    public string? Curve { get; init; }
    public string? SubjectComponents { get; init; }
    /// <summary>With <see cref="GenerateKey"/>: the new PKCS#12's passphrase (and the token's new PIN); absent, a one-time password.</summary>
    public string? Pin { get; init; }
    public string? Attestation { get; init; }

    public RenewalMode Mode => GenerateKey ? RenewalMode.NewKey
        : ParsedCsr is not null || !string.IsNullOrWhiteSpace(Csr) ? RenewalMode.NewCsr
        : RenewalMode.SameKey;

    /// <summary>The request as an enrolment's, so that the enrolment's readers and rules check it alike.</summary>
    internal Enrolment.EnrolmentRequest AsEnrolment() => new()
    {
        Csr = Csr,
        ParsedCsr = ParsedCsr,
        GenerateKey = GenerateKey,
        KeyType = KeyType,
        KeySize = KeySize,
        Curve = Curve,
        SubjectComponents = SubjectComponents,
        Pin = Pin,
        Attestation = Attestation,
    };
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
