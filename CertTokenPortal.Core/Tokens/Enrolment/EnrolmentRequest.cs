namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// What the person enrolling asked for, as given (the API's parameters, the wizard's fields). Exactly one of
/// <see cref="Csr"/>, <see cref="GenerateKey"/> and <see cref="CertificatePem"/> selects the mode.
/// </summary>
public sealed record EnrolmentRequest
{
    /// <summary>The owner; ignored for the role <c>user</c>, who always enrols for themself. Absent: the caller.</summary>
    public string? UserName { get; init; }
    public string? Realm { get; init; }

    /// <summary>privacyIDEA's <c>serial</c>: the token's serial chosen by the client; absent, a new "CRT..." serial.</summary>
    public string? Serial { get; init; }

    public string? CaName { get; init; }
    /// <summary>Absent: the CA's default template.</summary>
    public string? TemplateName { get; init; }

    /// <summary>A PKCS#10 request (PEM, PEM body, base64 DER), as the API receives it; parsed and checked by Core.</summary>
    public string? Csr { get; init; }

    /// <summary>
    /// A request already parsed and checked at the edge (the wizard shows it before enrolling); when set, it is
    /// used as it is and <see cref="Csr"/> is not read. Either this or <see cref="Csr"/> selects the CSR mode.
    /// </summary>
    public Pki.ParsedCsr? ParsedCsr { get; init; }

    /// <summary>The server generates the key pair, the CSR and the certificate.</summary>
    public bool GenerateKey { get; init; }
    public string? KeyType { get; init; }
    public string? KeySize { get; init; }
    public string? Curve { get; init; }
    /// <summary>Owner attributes for the generated subject: "email" and/or "realm", comma or space separated.</summary>
    public string? SubjectComponents { get; init; }

    /// <summary>An existing certificate (PEM) to track as a token; no CA is involved.</summary>
    public string? CertificatePem { get; init; }

    /// <summary>The token PIN; with <see cref="GenerateKey"/> it is the PKCS#12 passphrase.</summary>
    public string? Pin { get; init; }
    public string? Description { get; init; }

    /// <summary>A PEM attestation certificate for the CSR's key.</summary>
    public string? Attestation { get; init; }
}

/// <summary>
/// The outcome of an enrolment. <see cref="Pkcs12"/> and <see cref="Pkcs12Password"/> exist only in this answer:
/// the password is never stored, and the PKCS#12 is stored only encrypted.
/// </summary>
public sealed record EnrolmentResult(TokenView Token)
{
    /// <summary>The PKCS#12 of a key generated on the server.</summary>
    public byte[]? Pkcs12 { get; init; }

    /// <summary>The random PKCS#12 password when no PIN was given; shown this once.</summary>
    public string? Pkcs12Password { get; init; }

    /// <summary>The CA chain of the issued certificate (issuer first), PEM.</summary>
    public IReadOnlyList<string> ChainPem { get; init; } = [];
}
