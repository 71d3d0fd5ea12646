namespace CertTokenPortal.Core.Common;

/// <summary>The kinds of expected failure a Core operation reports. Each maps to one HTTP status and one UI message style.</summary>
public enum ErrorKind
{
    /// <summary>The input is malformed or breaks a rule (HTTP 400).</summary>
    Validation,
    /// <summary>The caller is not authenticated (HTTP 401).</summary>
    Unauthenticated,
    /// <summary>The caller is authenticated but not allowed (HTTP 403).</summary>
    Forbidden,
    /// <summary>The named thing does not exist (HTTP 404).</summary>
    NotFound,
    /// <summary>The request conflicts with the current state, e.g. already revoked or a quota is reached (HTTP 409).</summary>
    Conflict,
    /// <summary>The input is larger than allowed (HTTP 413).</summary>
    TooLarge,
    /// <summary>A service the portal depends on (e.g. a user directory) cannot be reached right now (HTTP 503).</summary>
    Unavailable,
    /// <summary>Too many requests or failed attempts in a short time; try again later (HTTP 429).</summary>
    RateLimited,
    /// <summary>The portal is too busy to take the work now; the client may try again later (HTTP 503 with Retry-After).</summary>
    Busy,
}

/// <summary>
/// A finer reason within an <see cref="ErrorKind"/>, for the few failures that clients tell apart by privacyIDEA's
/// error number (a missing login name, a locked token, a CA that failed); the kind still decides the HTTP status.
/// </summary>
public enum ErrorReason
{
    None,
    /// <summary>The login gave no user name or password (privacyIDEA 4032).</summary>
    MissingCredentials,
    /// <summary>The token is revoked, so it is locked for this change (privacyIDEA 1007).</summary>
    TokenLocked,
    /// <summary>The CA refused or failed the request (privacyIDEA 503).</summary>
    CaFailure,
    /// <summary>A policy refused the request (privacyIDEA 303).</summary>
    Policy,
}

/// <summary>An expected failure with a message written for a person.</summary>
public sealed record PortalError(ErrorKind Kind, string Message)
{
    /// <summary>With <see cref="ErrorKind.Busy"/>: the seconds after which trying again makes sense.</summary>
    public int? RetryAfterSeconds { get; init; }

    public ErrorReason Reason { get; init; }

    /// <summary>
    /// The input the error is about (a request parameter name such as <c>subject</c> or <c>max_token_per_user</c>),
    /// when it is about one; forms show the message under that field instead of above them all.
    /// </summary>
    public string? Field { get; init; }

    /// <summary>This error, said to be about the input <paramref name="field"/>.</summary>
    public PortalError About(string field) => this with { Field = field };

    /// <summary>A change a revoked (locked) token no longer takes: 400, as privacyIDEA answers.</summary>
    public static PortalError TokenLocked(string message) => new(ErrorKind.Validation, message) { Reason = ErrorReason.TokenLocked };

    public static PortalError Validation(string message) => new(ErrorKind.Validation, message);
    public static PortalError Forbidden(string message) => new(ErrorKind.Forbidden, message);
    public static PortalError NotFound(string message) => new(ErrorKind.NotFound, message);
    public static PortalError Conflict(string message) => new(ErrorKind.Conflict, message);
    public static PortalError TooLarge(string message) => new(ErrorKind.TooLarge, message);
    public static PortalError Unauthenticated(string message) => new(ErrorKind.Unauthenticated, message);
    public static PortalError RateLimited(string message) => new(ErrorKind.RateLimited, message);
    public static PortalError Busy(string message, int retryAfterSeconds) => new(ErrorKind.Busy, message) { RetryAfterSeconds = retryAfterSeconds };

    public override string ToString() => $"{Kind}: {Message}";
}
