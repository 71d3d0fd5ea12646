using System.DirectoryServices.Protocols;

namespace CertTokenPortal.Core.Users.Resolvers.Ldap;

/// <summary>Reads a search result entry into a <see cref="DirectoryUser"/> by the resolver's attribute mapping.</summary>
internal sealed class LdapEntryReader(LdapResolverSettings settings)
{
    public string[] Attributes { get; } = new[]
    {
        settings.LoginNameAttribute, settings.Attribute("givenname"), settings.Attribute("surname"),
        settings.Attribute("displayname"), settings.Attribute("email"), settings.Attribute("phone"),
        settings.UidType switch { LdapUidType.EntryUuid => "entryUUID", LdapUidType.ObjectGuid => "objectGUID", _ => "1.1" },
    }.Where(a => a != "1.1").Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The user, or null for an entry without a login name or id (it cannot log in or own tokens).</summary>
    public DirectoryUser? Read(SearchResultEntry entry)
    {
        var login = Text(entry, settings.LoginNameAttribute);
        var id = settings.UidType switch
        {
            LdapUidType.Dn => entry.DistinguishedName,
            LdapUidType.EntryUuid => Text(entry, "entryUUID"),
            _ => Bytes(entry, "objectGUID") is { Length: 16 } guid ? new Guid(guid).ToString() : null,
        };
        if (string.IsNullOrEmpty(login) || string.IsNullOrEmpty(id))
        {
            return null;
        }
        return new DirectoryUser(id, login,
            Text(entry, settings.Attribute("givenname")), Text(entry, settings.Attribute("surname")),
            Text(entry, settings.Attribute("displayname")), Text(entry, settings.Attribute("email")),
            Text(entry, settings.Attribute("phone")), entry.DistinguishedName);
    }

    private static string? Text(SearchResultEntry entry, string attribute) =>
        entry.Attributes.Contains(attribute) && entry.Attributes[attribute].Count > 0
            ? entry.Attributes[attribute].GetValues(typeof(string)).Cast<string>().FirstOrDefault()
            : null;

    private static byte[]? Bytes(SearchResultEntry entry, string attribute) =>
        entry.Attributes.Contains(attribute) && entry.Attributes[attribute].Count > 0
            ? entry.Attributes[attribute].GetValues(typeof(byte[])).Cast<byte[]>().FirstOrDefault()
            : null;
}
