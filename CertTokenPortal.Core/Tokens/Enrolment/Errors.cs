using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>The named refusals of enrolment (names, owners, uploads, busy), so tests match the error and not its wording.</summary>
public static class EnrolmentErrors
{
    /// <summary>A name of the request breaks the template's rules: says which name and which rule.</summary>
    public static PortalError NameRefused(string name, string template, string rule) =>
        PortalError.Validation($"The name {name} is refused by template '{template}': {rule}.");

    /// <summary>A template only staff may choose, asked for by an end user without a policy that allows it.</summary>
    public static PortalError StaffOnlyTemplate(string template) =>
        PortalError.Forbidden($"The template '{template}' is for staff; end users may use it only when a policy allows it (certificate_template or allowed_templates).");

    /// <summary>The owner's role is above the actor's: a helpdesk account cannot enrol a key for an admin.</summary>
    public static PortalError OwnerAboveActor(string owner, string ownerRole, string actorRole) =>
        PortalError.Forbidden($"'{owner}' is {Article(ownerRole)} {ownerRole}; {Article(actorRole)} {actorRole} cannot enrol a certificate for an account above their own role.");

    /// <summary>The uploaded certificate is refused (CA certificate, validity, key, several certificates, trust).</summary>
    public static PortalError UploadRefused(string reason) =>
        PortalError.Validation($"The uploaded certificate is refused: {reason}.");

    /// <summary>The owner's policy does not let certificates be uploaded.</summary>
    public static PortalError UploadNotAllowed(string policy) =>
        PortalError.Forbidden($"Policy '{policy}' does not allow uploading certificates (certificate_allow_upload).");


    private static string Article(string word) => "aeiou".Contains(char.ToLowerInvariant(word[0])) ? "an" : "a";
}
