namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>The resolver kinds, by their privacyIDEA <c>type</c> names.</summary>
public static class ResolverKinds
{
    /// <summary>The portal's own accounts (created on the Users page); one built-in resolver of this kind exists.</summary>
    public const string Local = "local";
    public const string Ldap = "ldapresolver";

    /// <summary>The name of the built-in resolver of the portal's own accounts.</summary>
    public const string LocalResolverName = "local";
}
