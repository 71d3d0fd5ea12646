namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>
/// One certificate a token holds or held: the token keeps its serial across renewals and rekeys, and this table keeps
/// every certificate it was given, with what became of it. A renewal waiting for an approval is a row too (without a
/// certificate until the CA decides), so the token keeps its current certificate meanwhile.
/// </summary>
public class TokenCertificate
{
    public long Id { get; set; }
    public long TokenId { get; set; }
    /// <summary>Set only when the row is saved with a new token (whose id is not known before).</summary>
    public CertificateToken? Token { get; set; }
    public string TokenSerial { get; set; } = "";

    /// <summary>One of <see cref="TokenCertificateStates"/>.</summary>
    public string State { get; set; } = TokenCertificateStates.Current;

    /// <summary>How the certificate came: enrolment, renewal (same key), rekey (new key).</summary>
    public string Origin { get; set; } = TokenCertificateOrigins.Enrolment;

    /// <summary>Why it is in its state: the revocation reason, the approver's denial, "replaced by ...".</summary>
    public string? Reason { get; set; }

    public string? CaName { get; set; }
    public string? TemplateName { get; set; }
    /// <summary>The CA's id of a renewal that waits for approval.</summary>
    public string? RequestId { get; set; }

    public string? CertificatePem { get; set; }
    public string? CertificateSerial { get; set; }
    public string? Subject { get; set; }
    public DateTime? NotBefore { get; set; }
    public DateTime? NotAfter { get; set; }
    public string? KeyDescription { get; set; }

    /// <summary>
    /// For a superseded certificate: when it is to be revoked as <c>superseded</c> (the template's grace period);
    /// null when it is left to expire.
    /// </summary>
    public DateTime? RevokeAfter { get; set; }
    public DateTime? RevokedAt { get; set; }

    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>The states of a <see cref="TokenCertificate"/>, as stored and shown.</summary>
public static class TokenCertificateStates
{
    /// <summary>The token's certificate now (its own revocation, if any, is the token's).</summary>
    public const string Current = "current";
    /// <summary>A renewal that waits for an approver or an external CA.</summary>
    public const string Pending = "pending";
    /// <summary>Replaced by a newer certificate; still valid until its grace period ends or it expires.</summary>
    public const string Superseded = "superseded";
    /// <summary>Replaced and revoked with the reason <c>superseded</c>.</summary>
    public const string Revoked = "revoked";
    /// <summary>A renewal the approver refused; the token kept its certificate.</summary>
    public const string Denied = "denied";
}

/// <summary>How a certificate came to its token.</summary>
public static class TokenCertificateOrigins
{
    public const string Enrolment = "enrolment";
    public const string Renewal = "renewal";
    public const string Rekey = "rekey";
}

/// <summary>History rows made from a token's current certificate.</summary>
public static class TokenCertificateRows
{
    /// <summary>The certificate <paramref name="token"/> holds now, as a row in the given state.</summary>
    public static TokenCertificate Of(CertificateToken token, string state, string origin, string createdBy, DateTime at) => new()
    {
        TokenId = token.Id,
        TokenSerial = token.Serial,
        State = state,
        Origin = origin,
        CaName = token.CaName,
        TemplateName = token.TemplateName,
        CertificatePem = token.CertificatePem,
        CertificateSerial = token.CertificateSerial,
        Subject = token.Subject,
        NotBefore = token.NotBefore,
        NotAfter = token.NotAfter,
        KeyDescription = token.KeyDescription,
        CreatedBy = createdBy,
        CreatedAt = at,
    };
}
