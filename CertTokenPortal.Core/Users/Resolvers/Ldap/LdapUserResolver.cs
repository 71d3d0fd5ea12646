using System.DirectoryServices.Protocols;
using System.Net;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Users.Resolvers.Ldap;

/// <summary>
/// An LDAP or Active Directory resolver. Built on System.DirectoryServices.Protocols: it is maintained with .NET
/// itself and on Linux drives the system's OpenLDAP client library, which brings LDAPS, StartTLS with CA checks,
/// paged results and network time-outs; the managed Novell library is not in the portal's package feed.
/// Every directory call runs under the resolver's TIMEOUT twice over: libldap's own, and a watchdog here, so a
/// directory that accepts connections but never answers still ends in <see cref="ResolverErrors.Unavailable"/>.
/// </summary>
internal sealed class LdapUserResolver(string name, LdapResolverSettings settings, string? bindPassword, TimeProvider clock)
    : IUserResolver, IDisposable
{
    private readonly LdapConnections _connections = new(settings, bindPassword);
    private readonly LookupCache<DirectoryUser?> _byLogin = new(settings.CacheTimeout, clock);
    private readonly LdapEntryReader _reader = new(settings);

    public string Name => name;

    public Task<Result<DirectoryUser?>> FindByLoginNameAsync(string loginName, CancellationToken ct) =>
        _byLogin.GetOrAddAsync("login:" + loginName.ToLowerInvariant(), () => RunAsync(connection =>
            FindOne(connection, settings.BaseDn, SearchScope.Subtree, $"(&{settings.SearchFilter}({settings.LoginNameAttribute}={LdapFilter.Escape(loginName)}))"), ct));

    public Task<Result<DirectoryUser?>> FindByIdAsync(string id, CancellationToken ct) =>
        _byLogin.GetOrAddAsync("id:" + id, () => RunAsync(connection => settings.UidType switch
        {
            LdapUidType.Dn => FindOne(connection, id, SearchScope.Base, settings.SearchFilter),
            LdapUidType.EntryUuid => FindOne(connection, settings.BaseDn, SearchScope.Subtree, $"(&{settings.SearchFilter}(entryUUID={LdapFilter.Escape(id)}))"),
            _ => FindOne(connection, settings.BaseDn, SearchScope.Subtree, $"(&{settings.SearchFilter}(objectGUID={LdapFilter.EscapeGuid(id)}))"),
        }, ct), ct);

    public Task<Result<DirectoryUserPage>> SearchAsync(string? term, int page, int pageSize, CancellationToken ct)
    {
        pageSize = Math.Clamp(pageSize, 1, 1000);
        page = Math.Max(page, 1);
        var filter = string.IsNullOrWhiteSpace(term)
            ? settings.SearchFilter
            : $"(&{settings.SearchFilter}(|{string.Concat(new[] { settings.LoginNameAttribute, settings.Attribute("displayname"), settings.Attribute("email") }.Distinct().Select(a => $"({a}=*{LdapFilter.Escape(term.Trim())}*)"))}))";
        return RunAsync(connection =>
        {
            // Paged results (RFC 2696): the cookie is only valid on the connection that got it, so the pages up to
            // the wanted one are read here in one go rather than handed out to the caller.
            var control = new PageResultRequestControl(pageSize) { IsCritical = false };
            var request = new SearchRequest(settings.BaseDn, filter, SearchScope.Subtree, _reader.Attributes) { SizeLimit = settings.SizeLimit };
            request.Controls.Add(control);
            for (var current = 1; ; current++)
            {
                var response = Send(connection, request);
                var cookie = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault()?.Cookie ?? [];
                if (current == page)
                {
                    var users = response.Entries.Cast<SearchResultEntry>().Select(_reader.Read).OfType<DirectoryUser>().ToList();
                    return new DirectoryUserPage(users, cookie.Length > 0);
                }
                if (cookie.Length == 0)
                {
                    return new DirectoryUserPage([], false);
                }
                control.Cookie = cookie;
            }
        }, ct);
    }

    public async Task<Result<bool>> CheckPasswordAsync(DirectoryUser user, string password, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(password) || user.DistinguishedName is null)
        {
            // An empty password would be an unauthenticated bind, which LDAP servers answer with success.
            return false;
        }
        return await GuardAsync(() =>
        {
            using var connection = _connections.Open();
            try
            {
                connection.Bind(new NetworkCredential(user.DistinguishedName, password));
                return true;
            }
            catch (LdapException e) when (e.ErrorCode == 49)
            {
                return false;
            }
        }, ct);
    }

    public Task<Result<string>> RoleOfAsync(DirectoryUser user, CancellationToken ct) => RunAsync(connection =>
    {
        foreach (var role in new[] { PortalRoles.Admin, PortalRoles.Helpdesk })
        {
            if (!settings.RoleGroups.TryGetValue(role, out var groupDn) || user.DistinguishedName is null)
            {
                continue;
            }
            var dn = LdapFilter.Escape(user.DistinguishedName);
            var member = new SearchRequest(groupDn, $"(|(member={dn})(uniqueMember={dn})(memberUid={LdapFilter.Escape(user.UserName)}))", SearchScope.Base, "1.1");
            try
            {
                if (Send(connection, member).Entries.Count > 0)
                {
                    return role;
                }
            }
            catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
            {
                // A mapped group that does not exist gives nobody its role.
            }
        }
        return PortalRoles.User;
    }, ct);

    public Task<Result<string>> TestAsync(CancellationToken ct) => RunAsync(connection =>
    {
        var request = new SearchRequest(settings.BaseDn, settings.SearchFilter, SearchScope.Subtree, "1.1") { SizeLimit = settings.SizeLimit };
        request.Controls.Add(new PageResultRequestControl(Math.Min(settings.SizeLimit, 1000)) { IsCritical = false });
        var count = 0;
        var more = false;
        while (true)
        {
            var response = Send(connection, request, tolerateSizeLimit: true);
            count += response.Entries.Count;
            var cookie = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault()?.Cookie ?? [];
            if (response.ResultCode == ResultCode.SizeLimitExceeded || count >= settings.SizeLimit)
            {
                more = true;
                break;
            }
            if (cookie.Length == 0)
            {
                break;
            }
            request.Controls.OfType<PageResultRequestControl>().Single().Cookie = cookie;
        }
        var how = settings.UsesLdaps ? "LDAPS" : settings.StartTls ? "StartTLS" : "LDAP";
        return $"bind OK ({how}, {(settings.BindDn is null ? "anonymous" : settings.BindDn)}), {(more ? "at least " : "")}{count} user{(count == 1 ? "" : "s")} under {settings.BaseDn}";
    }, ct);

    private DirectoryUser? FindOne(LdapConnection connection, string baseDn, SearchScope scope, string filter)
    {
        try
        {
            var response = Send(connection, new SearchRequest(baseDn, filter, scope, _reader.Attributes) { SizeLimit = 2 });
            return response.Entries.Count == 1 ? _reader.Read(response.Entries[0]) : null;
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode is ResultCode.NoSuchObject or ResultCode.InvalidDNSyntax or ResultCode.SizeLimitExceeded)
        {
            // Gone (base DN of a removed user), malformed, or ambiguous: either way not one user.
            return null;
        }
    }

    private SearchResponse Send(LdapConnection connection, SearchRequest request, bool tolerateSizeLimit = false)
    {
        try
        {
            return (SearchResponse)connection.SendRequest(request, settings.Timeout);
        }
        catch (DirectoryOperationException e) when (e.Response is SearchResponse partial &&
                                                    (tolerateSizeLimit || request.SizeLimit > 2) &&
                                                    e.Response.ResultCode == ResultCode.SizeLimitExceeded)
        {
            // What arrived before the limit is a valid (if partial) answer; the size limit protects the portal.
            return partial;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled service connection under the watchdog.</summary>
    private Task<Result<T>> RunAsync<T>(Func<LdapConnection, T> work, CancellationToken ct) => GuardAsync(() =>
    {
        var (connection, pooled) = _connections.RentServiceConnection();
        try
        {
            var result = work(connection);
            _connections.Return(connection, healthy: true);
            return result;
        }
        catch (LdapException) when (pooled)
        {
            // A pooled connection may have died while idle (the directory restarted, a firewall dropped it): one
            // more try on a new connection, which fails for real if the directory is down.
            _connections.Return(connection, healthy: false);
            (connection, _) = _connections.RentServiceConnection(fresh: true);
            var healthy = false;
            try
            {
                var result = work(connection);
                healthy = true;
                return result;
            }
            finally
            {
                _connections.Return(connection, healthy);
            }
        }
        catch
        {
            _connections.Return(connection, healthy: false);
            throw;
        }
    }, ct);

    private async Task<Result<T>> GuardAsync<T>(Func<T> work, CancellationToken ct)
    {
        var call = Task.Run(work, CancellationToken.None);
        try
        {
            // Connect, (StartTLS,) bind and one request each may take up to TIMEOUT in libldap; beyond that the
            // directory is treated as down. The blocked native call finishes on its own in the background.
            return await call.WaitAsync(settings.Timeout * 3, clock, ct);
        }
        catch (TimeoutException)
        {
            _ = call.ContinueWith(t => t.Exception, TaskScheduler.Default);
            return ResolverErrors.Unavailable(name, $"no answer from {settings.Uri.GetLeftPart(UriPartial.Authority)} within {settings.Timeout.TotalSeconds * 3:0} s.");
        }
        catch (LdapException e)
        {
            return ResolverErrors.Unavailable(name, LdapFilter.Describe(e, settings));
        }
        catch (DirectoryOperationException e)
        {
            return ResolverErrors.Unavailable(name, $"the directory refused the request: {e.Response?.ResultCode} {e.Response?.ErrorMessage ?? e.Message}".Trim());
        }
    }

    public void Dispose() => _connections.Dispose();
}
