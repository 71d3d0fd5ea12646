using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens.Info;

/// <summary>The named errors of setting and deleting token-info entries.</summary>
public static class TokenInfoErrors
{
    /// <summary>privacyIDEA lets admins set token info (policy action <c>settokeninfo</c>); so does the portal.</summary>
    public static readonly PortalError NotAllowed = PortalError.Forbidden("Only admins may set or delete token info.");

    public static readonly PortalError EmptyValue =
        PortalError.Validation("Give the 'value' to set; to remove an info key, send DELETE /token/info/<serial>/<key>.");

    public static PortalError BadKey(string? key) => PortalError.Validation(
        $"'{key}' is not a token-info key: use {InputLimits.MaxTokenInfoKeyLength} characters at most, letters, digits, '.', '_' or '-'.");

    public static PortalError PortalKey(string key) => PortalError.Validation(
        $"The info key '{key}' belongs to the portal (it describes the certificate or its enrolment) and cannot be set or deleted; choose another key.");

    public static PortalError TooMany(string serial) => PortalError.Validation(
        $"Token {serial} already has {InputLimits.MaxTokenInfoEntries} info entries, the most a token takes; delete one first.");
}
