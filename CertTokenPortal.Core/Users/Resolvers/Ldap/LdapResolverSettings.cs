using System.Globalization;
using System.Text.Json;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Users.Resolvers.Ldap;

/// <summary>How the stable user id is read: the DN (changes on rename), OpenLDAP's entryUUID or AD's objectGUID.</summary>
public enum LdapUidType { Dn, EntryUuid, ObjectGuid }

/// <summary>
/// An LDAP resolver's settings, parsed once from privacyIDEA's parameter names (<c>LDAPURI</c>, <c>LDAPBASE</c>, ...).
/// <see cref="ToStored"/> gives them back in the same names, without the bind password, for the database and lists.
/// </summary>
public sealed record LdapResolverSettings(
    Uri Uri,
    string BaseDn,
    string? BindDn,
    string LoginNameAttribute,
    string SearchFilter,
    IReadOnlyDictionary<string, string> UserInfo,
    LdapUidType UidType,
    bool StartTls,
    bool TlsVerify,
    string? TlsCaFile,
    TimeSpan Timeout,
    int SizeLimit,
    TimeSpan CacheTimeout,
    IReadOnlyDictionary<string, string> RoleGroups)
{
    /// <summary>The portal attributes USERINFO may map, with the LDAP attribute used when it does not.</summary>
    public static IReadOnlyDictionary<string, string> DefaultUserInfo { get; } = new Dictionary<string, string>
    {
        ["givenname"] = "givenName", ["surname"] = "sn", ["displayname"] = "cn", ["email"] = "mail", ["phone"] = "telephoneNumber",
    };

    public bool UsesLdaps => Uri.Scheme == "ldaps";

    public string Attribute(string portalName) => UserInfo.TryGetValue(portalName, out var a) ? a : DefaultUserInfo[portalName];

    /// <summary>The parameter names, so that the API can pick them out of a request.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } =
    [
        "LDAPURI", "LDAPBASE", "BINDDN", "BINDPW", "LOGINNAMEATTRIBUTE", "LDAPSEARCHFILTER", "USERINFO", "UIDTYPE",
        "START_TLS", "TLS_VERIFY", "TLS_CA_FILE", "TIMEOUT", "SIZELIMIT", "CACHE_TIMEOUT", "ROLE_GROUPS",
    ];

    public static Result<LdapResolverSettings> Parse(IReadOnlyDictionary<string, string?> p)
    {
        string? Get(string name) => p.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        if (!Uri.TryCreate(Get("LDAPURI") ?? "", UriKind.Absolute, out var uri) || uri.Scheme is not ("ldap" or "ldaps") || string.IsNullOrEmpty(uri.Host))
        {
            return PortalError.Validation("LDAPURI must be ldap://host[:port] or ldaps://host[:port].");
        }
        var baseDn = Get("LDAPBASE");
        if (baseDn is null)
        {
            return PortalError.Validation("LDAPBASE is required: the DN under which users are searched, e.g. ou=people,dc=example,dc=org.");
        }
        if (!Bool(Get("TLS_VERIFY"), true))
        {
            // libldap takes "don't verify" only process-wide; a portal that silently trusts any certificate is worse.
            return PortalError.Validation("TLS_VERIFY=0 is not supported: give the directory's CA in TLS_CA_FILE instead.");
        }
        var startTls = Bool(Get("START_TLS"), false);
        if (startTls && uri.Scheme == "ldaps")
        {
            return PortalError.Validation("START_TLS is for ldap:// URIs; ldaps:// is already encrypted.");
        }
        var caFile = Get("TLS_CA_FILE");
        if (caFile is not null && !File.Exists(caFile))
        {
            return PortalError.Validation($"TLS_CA_FILE '{caFile}' does not exist on the portal's server.");
        }
        var uidType = (Get("UIDTYPE") ?? "DN").ToLowerInvariant() switch
        {
            "dn" => (LdapUidType?)LdapUidType.Dn,
            "entryuuid" => LdapUidType.EntryUuid,
            "objectguid" => LdapUidType.ObjectGuid,
            _ => null,
        };
        if (uidType is null)
        {
            return PortalError.Validation($"UIDTYPE '{Get("UIDTYPE")}' must be DN, entryUUID or objectGUID.");
        }
        if (!Seconds(Get("TIMEOUT"), 5, 1, 120, out var timeout) || !Seconds(Get("CACHE_TIMEOUT"), 120, 0, 86400, out var cache))
        {
            return PortalError.Validation("TIMEOUT must be 1 to 120 seconds and CACHE_TIMEOUT 0 to 86400 seconds.");
        }
        if (!int.TryParse(Get("SIZELIMIT") ?? "500", NumberStyles.Integer, CultureInfo.InvariantCulture, out var sizeLimit) || sizeLimit is < 1 or > 100000)
        {
            return PortalError.Validation("SIZELIMIT must be a whole number from 1 to 100000.");
        }
        var userInfo = JsonMap(Get("USERINFO"), "USERINFO");
        if (!userInfo.TryGetValue(out var info, out var infoError))
        {
            return infoError;
        }
        var unknown = info.Keys.Where(k => k != "username" && !DefaultUserInfo.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            return PortalError.Validation($"USERINFO knows username, {string.Join(", ", DefaultUserInfo.Keys)}; not {string.Join(", ", unknown)}.");
        }
        var roleGroups = JsonMap(Get("ROLE_GROUPS"), "ROLE_GROUPS");
        if (!roleGroups.TryGetValue(out var roles, out var rolesError))
        {
            return rolesError;
        }
        if (roles.Keys.FirstOrDefault(r => !PortalRoles.IsKnown(r)) is { } badRole)
        {
            return PortalError.Validation($"ROLE_GROUPS maps roles to group DNs; '{badRole}' is not a role (admin, helpdesk, user).");
        }
        var login = info.TryGetValue("username", out var u) ? u : Get("LOGINNAMEATTRIBUTE") ?? "uid";
        var filter = Get("LDAPSEARCHFILTER") ?? "(objectClass=inetOrgPerson)";
        if (!filter.StartsWith('(') || !filter.EndsWith(')'))
        {
            return PortalError.Validation("LDAPSEARCHFILTER must be an LDAP filter in parentheses, e.g. (objectClass=inetOrgPerson).");
        }
        return new LdapResolverSettings(uri, baseDn, Get("BINDDN"), login, filter, info, uidType.Value, startTls, true, caFile,
            timeout, sizeLimit, cache, roles);
    }

    /// <summary>The settings in privacyIDEA's names, without BINDPW.</summary>
    public Dictionary<string, string> ToStored() => new()
    {
        ["LDAPURI"] = Uri.GetLeftPart(UriPartial.Authority),
        ["LDAPBASE"] = BaseDn,
        ["BINDDN"] = BindDn ?? "",
        ["LOGINNAMEATTRIBUTE"] = LoginNameAttribute,
        ["LDAPSEARCHFILTER"] = SearchFilter,
        ["USERINFO"] = JsonSerializer.Serialize(UserInfo),
        ["UIDTYPE"] = UidType switch { LdapUidType.EntryUuid => "entryUUID", LdapUidType.ObjectGuid => "objectGUID", _ => "DN" },
        ["START_TLS"] = StartTls ? "1" : "0",
        ["TLS_VERIFY"] = "1",
        ["TLS_CA_FILE"] = TlsCaFile ?? "",
        ["TIMEOUT"] = ((int)Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        ["SIZELIMIT"] = SizeLimit.ToString(CultureInfo.InvariantCulture),
        ["CACHE_TIMEOUT"] = ((int)CacheTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        ["ROLE_GROUPS"] = JsonSerializer.Serialize(RoleGroups),
    };

    private static bool Bool(string? value, bool fallback) => value?.ToLowerInvariant() switch
    {
        null => fallback,
        "1" or "true" or "yes" or "on" => true,
        _ => false,
    };

    private static bool Seconds(string? value, int fallback, int min, int max, out TimeSpan span)
    {
        var ok = int.TryParse(value ?? fallback.ToString(CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s >= min && s <= max;
        span = TimeSpan.FromSeconds(ok ? s : fallback);
        return ok;
    }

    private static Result<IReadOnlyDictionary<string, string>> JsonMap(string? json, string name)
    {
        if (json is null)
        {
            return new Dictionary<string, string>();
        }
        try
        {
            var map = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
            if (map is null || map.Any(kv => string.IsNullOrWhiteSpace(kv.Value)))
            {
                return PortalError.Validation($"{name} must be a JSON object of names to non-empty strings.");
            }
            return map.ToDictionary(kv => kv.Key.Trim().ToLowerInvariant(), kv => kv.Value.Trim());
        }
        catch (JsonException)
        {
            return PortalError.Validation($"{name} is not a JSON object of names to strings, e.g. {{\"email\":\"mail\"}}.");
        }
    }
}
