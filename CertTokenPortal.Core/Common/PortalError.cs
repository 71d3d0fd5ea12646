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
}

/// <summary>An expected failure with a message written for a person.</summary>
public sealed record PortalError(ErrorKind Kind, string Message)
{
    public static PortalError Validation(string message) => new(ErrorKind.Validation, message);
    public static PortalError Forbidden(string message) => new(ErrorKind.Forbidden, message);
    public static PortalError NotFound(string message) => new(ErrorKind.NotFound, message);
    public static PortalError Conflict(string message) => new(ErrorKind.Conflict, message);
    public static PortalError TooLarge(string message) => new(ErrorKind.TooLarge, message);
    public static PortalError Unauthenticated(string message) => new(ErrorKind.Unauthenticated, message);

    public override string ToString() => $"{Kind}: {Message}";
}
