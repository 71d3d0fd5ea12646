namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// What the person enrolling asked for, as given (the API's parameters, the wizard's fields). Exactly one of
/// <see cref="KeyRequest.Csr"/>, <see cref="KeyRequest.GenerateKey"/> and <see cref="CertificatePem"/> selects the mode.
/// </summary>
public sealed record EnrolmentRequest : KeyRequest
{
    public EnrolmentRequest()
    {
    }

    /// <summary>The key part of another request (a renewal's) as an enrolment, copied by the record's copy constructor.</summary>
    internal EnrolmentRequest(KeyRequest key) : base(key)
    {
    }

    /// <summary>The owner; ignored for the role <c>user</c>, who always enrols for themself. Absent: the caller.</summary>
    public string? UserName { get; init; }
    public string? Realm { get; init; }

    /// <summary>privacyIDEA's <c>serial</c>: the token's serial chosen by the client; absent, a new "CRT..." serial.</summary>
    public string? Serial { get; init; }

    public string? CaName { get; init; }
    /// <summary>Absent: the CA's default template.</summary>
    public string? TemplateName { get; init; }

    /// <summary>An existing certificate (PEM) to track as a token; no CA is involved.</summary>
    public string? CertificatePem { get; init; }

    public string? Description { get; init; }
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
