using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Tokens;

/// <summary>
/// Who may do what with a token: the role table in README.md ("Roles") plus ownership. The one place these rules
/// live; the token use cases (and through them the browser and the API) ask it. Pages ask the <see cref="TokenView"/>
/// overloads which buttons to offer; the use cases ask again when the button is pressed.
/// </summary>
public static class TokenAccess
{
    public static bool Owns(this Actor actor, CertificateToken token) => actor.Owns(token.OwnerId, token.OwnerUserName, token.OwnerRealm);

    public static bool Owns(this Actor actor, TokenView token) => actor.Owns(token.OwnerId, token.UserName, token.Realm);

    /// <summary>Staff see every token; a user sees own tokens only.</summary>
    public static bool CanView(Actor actor, string? ownerId, string ownerUserName, string ownerRealm) =>
        actor.Allows(Permission.ViewAllTokens) || actor.Owns(ownerId, ownerUserName, ownerRealm);

    /// <summary>
    /// A user asking for someone else's token hears that there is no such token (404), exactly as for a serial that
    /// does not exist, so that serials of other users cannot be probed.
    /// </summary>
    public static PortalError? CheckView(Actor actor, CertificateToken token) => CheckView(actor, Subject.Of(token));

    public static PortalError? CheckView(Actor actor, TokenView token) => CheckView(actor, Subject.Of(token));

    public static PortalError? CheckRevoke(Actor actor, CertificateToken token) => CheckRevoke(actor, Subject.Of(token));

    public static PortalError? CheckRevoke(Actor actor, TokenView token) => CheckRevoke(actor, Subject.Of(token));

    /// <summary>
    /// As <see cref="CheckRevoke(Actor, CertificateToken)"/>, and an owner without staff rights also needs the
    /// policy's <c>user_may_revoke</c> (yes unless a policy says no). <paramref name="policy"/> is the effective
    /// policy for the role user in the token's realm.
    /// </summary>
    public static PortalError? CheckRevoke(Actor actor, CertificateToken token, Policies.EffectivePolicy policy) =>
        CheckRevoke(actor, Subject.Of(token), policy);

    /// <summary>The same rule for the revoke buttons of pages.</summary>
    public static PortalError? CheckRevoke(Actor actor, TokenView token, Policies.EffectivePolicy policy) =>
        CheckRevoke(actor, Subject.Of(token), policy);

    /// <summary>Whether the revoke button makes sense for <paramref name="token"/> (the same rules as the revocation).</summary>
    public static bool CanRevoke(Actor actor, TokenView token, Policies.EffectivePolicy policy) =>
        !token.Revoked && CheckRevoke(actor, token, policy) is null;

    public static PortalError? CheckDelete(Actor actor, CertificateToken token) => CheckDelete(actor, Subject.Of(token));

    public static PortalError? CheckDelete(Actor actor, TokenView token) => CheckDelete(actor, Subject.Of(token));

    public static PortalError? CheckDownloadPkcs12(Actor actor, CertificateToken token) => CheckDownloadPkcs12(actor, Subject.Of(token));

    public static PortalError? CheckDownloadPkcs12(Actor actor, TokenView token) => CheckDownloadPkcs12(actor, Subject.Of(token));

    /// <summary>Changing description, PIN or the active flag: staff for anyone, a user for own tokens.</summary>
    public static PortalError? CheckUpdate(Actor actor, CertificateToken token) => CheckUpdate(actor, Subject.Of(token));

    public static PortalError? CheckUpdate(Actor actor, TokenView token) => CheckUpdate(actor, Subject.Of(token));

    public static PortalError NotFound(string serial) => PortalError.NotFound($"There is no token with serial '{serial}'.");

    /// <summary>What the rules look at: the serial (for messages) and the owner. The entity and the view both carry it.</summary>
    private readonly record struct Subject(string Serial, string? OwnerId, string UserName, string Realm)
    {
        public static Subject Of(CertificateToken token) => new(token.Serial, token.OwnerId, token.OwnerUserName, token.OwnerRealm);

        public static Subject Of(TokenView token) => new(token.Serial, token.OwnerId, token.UserName, token.Realm);

        public bool IsOwnedBy(Actor actor) => actor.Owns(OwnerId, UserName, Realm);
    }

    private static PortalError? CheckView(Actor actor, Subject token) =>
        CanView(actor, token.OwnerId, token.UserName, token.Realm)
            ? null
            : NotFound(token.Serial);

    private static PortalError? CheckRevoke(Actor actor, Subject token) =>
        CheckView(actor, token) ?? (actor.Allows(Permission.RevokeAnyToken) || token.IsOwnedBy(actor)
            ? null
            : PortalError.Forbidden($"You may not revoke token {token.Serial}."));

    private static PortalError? CheckRevoke(Actor actor, Subject token, Policies.EffectivePolicy policy) =>
        CheckRevoke(actor, token) ?? (actor.Allows(Permission.RevokeAnyToken) || policy.UsersMayRevoke
            ? null
            : PortalError.Forbidden($"Policy '{policy.UserMayRevoke!.PolicyName}' does not let users revoke their own tokens; ask the helpdesk to revoke token {token.Serial}."));

    private static PortalError? CheckDelete(Actor actor, Subject token) =>
        CheckView(actor, token) ?? (actor.Allows(Permission.DeleteTokens)
            ? null
            : PortalError.Forbidden("Only admins may delete tokens."));

    private static PortalError? CheckDownloadPkcs12(Actor actor, Subject token) =>
        CheckView(actor, token) ?? (actor.Allows(Permission.DownloadAnyPkcs12) || token.IsOwnedBy(actor)
            ? null
            : PortalError.Forbidden($"Only an admin or the owner may download the PKCS#12 file of token {token.Serial}."));

    private static PortalError? CheckUpdate(Actor actor, Subject token) =>
        CheckView(actor, token) ?? (actor.Allows(Permission.EnrolForOthers) || token.IsOwnedBy(actor)
            ? null
            : PortalError.Forbidden($"You may not change token {token.Serial}."));
}
