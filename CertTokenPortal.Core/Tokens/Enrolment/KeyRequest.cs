namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// What a request for a certificate says about its key, alike for an enrolment and a renewal: a PKCS#10 request
/// (<see cref="Csr"/> or <see cref="ParsedCsr"/>) or a key generated on the server, with the owner attributes for
/// the subject, the PIN and an attestation.
/// </summary>
public abstract record KeyRequest
{
    /// <summary>A PKCS#10 request (PEM, PEM body, base64 DER), as the API receives it; parsed and checked by Core.</summary>
    public string? Csr { get; init; }

    /// <summary>
    /// A request already parsed and checked at the edge (the wizard and the renewal dialog show it first); when set, it
    /// is used as it is and <see cref="Csr"/> is not read. Either this or <see cref="Csr"/> selects the CSR mode.
    /// </summary>
    public Pki.ParsedCsr? ParsedCsr { get; init; }

    /// <summary>The server generates the key pair, the CSR and the certificate.</summary>
    public bool GenerateKey { get; init; }
    public string? KeyType { get; init; }
    public string? KeySize { get; init; }
    public string? Curve { get; init; }
    /// <summary>Owner attributes for the generated subject: "email" and/or "realm", comma or space separated.</summary>
    public string? SubjectComponents { get; init; }

    /// <summary>The token's (new) PIN; with <see cref="GenerateKey"/> also the PKCS#12 passphrase (absent: a one-time password).</summary>
    public string? Pin { get; init; }

    /// <summary>A PEM attestation certificate for the CSR's key.</summary>
    public string? Attestation { get; init; }
}
