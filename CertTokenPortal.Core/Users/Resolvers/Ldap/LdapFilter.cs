using System.DirectoryServices.Protocols;
using System.Text;

namespace CertTokenPortal.Core.Users.Resolvers.Ldap;

/// <summary>Escaping of values in LDAP filters (RFC 4515) and plain words for libldap's error codes.</summary>
internal static class LdapFilter
{
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => @"\5c", '*' => @"\2a", '(' => @"\28", ')' => @"\29", '\0' => @"\00",
                _ => c.ToString(),
            });
        }
        return text.ToString();
    }

    /// <summary>An objectGUID as AD stores it (the GUID's little-endian bytes), escaped byte by byte.</summary>
    public static string EscapeGuid(string id) =>
        Guid.TryParse(id, out var guid) ? string.Concat(guid.ToByteArray().Select(b => $"\\{b:x2}")) : Escape(id);

    public static string Describe(LdapException e, LdapResolverSettings settings)
    {
        var where = settings.Uri.GetLeftPart(UriPartial.Authority);
        var what = e.ErrorCode switch
        {
            81 => "the server is down or refuses connections",
            85 => $"no answer within {settings.Timeout.TotalSeconds:0} s",
            49 => "the bind DN or password (BINDPW) is wrong",
            91 => "cannot connect",
            -11 or 52 => "TLS failed (is the server certificate signed by the CA in TLS_CA_FILE and issued for this host name?)",
            _ => e.Message,
        };
        var server = string.IsNullOrWhiteSpace(e.ServerErrorMessage) ? "" : $" ({e.ServerErrorMessage.Trim()})";
        return $"{where}: {what}{server} [LDAP error {e.ErrorCode}].";
    }
}
