using System.Collections.Concurrent;
using System.DirectoryServices.Protocols;
using System.Net;
using System.Security.Cryptography;

namespace CertTokenPortal.Core.Users.Resolvers.Ldap;

/// <summary>
/// Opens LDAP connections the way the settings say (LDAP, LDAPS or StartTLS, with the CA of TLS_CA_FILE) and keeps
/// a few connections bound as the service account for reuse, so that a search does not pay for a TCP and TLS
/// handshake and a bind each time. A connection that failed is thrown away, never returned to the pool.
/// </summary>
internal sealed class LdapConnections(LdapResolverSettings settings, string? bindPassword) : IDisposable
{
    private const int MaxIdle = 4;
    private readonly ConcurrentBag<LdapConnection> _idle = [];

    /// <summary>A connection bound as the service account (BINDDN), from the pool unless <paramref name="fresh"/>.</summary>
    public (LdapConnection Connection, bool Pooled) RentServiceConnection(bool fresh = false)
    {
        if (!fresh && _idle.TryTake(out var pooled))
        {
            return (pooled, true);
        }
        var connection = Open();
        try
        {
            if (settings.BindDn is null)
            {
                connection.AuthType = AuthType.Anonymous;
                connection.Bind();
            }
            else
            {
                connection.Bind(new NetworkCredential(settings.BindDn, bindPassword ?? ""));
            }
            return (connection, false);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Return(LdapConnection connection, bool healthy)
    {
        if (healthy && _idle.Count < MaxIdle)
        {
            _idle.Add(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    /// <summary>A fresh, unbound connection: a user's password bind must not change the identity of a pooled one.</summary>
    public LdapConnection Open()
    {
        var port = settings.Uri.IsDefaultPort || settings.Uri.Port <= 0 ? (settings.UsesLdaps ? 636 : 389) : settings.Uri.Port;
        var connection = new LdapConnection(new LdapDirectoryIdentifier(settings.Uri.Host, port), null, AuthType.Basic)
        {
            Timeout = settings.Timeout,
            AutoBind = false,
        };
        try
        {
            var options = connection.SessionOptions;
            options.ProtocolVersion = 3;
            options.ReferralChasing = ReferralChasingOptions.None;
            if (settings.UsesLdaps || settings.StartTls)
            {
                if (settings.TlsCaFile is not null)
                {
                    TrustOnly(options, settings.TlsCaFile);
                }
                if (settings.UsesLdaps)
                {
                    options.SecureSocketLayer = true;
                }
            }
            if (settings.StartTls)
            {
                // On Linux the connection learns its server only when it first connects, which StartTLS does not do;
                // a read of the root DSE (without binding) connects it. A directory that refuses even that read still
                // leaves the connection open for StartTLS.
                try
                {
                    connection.SendRequest(new SearchRequest("", "(objectClass=*)", SearchScope.Base, "1.1"), settings.Timeout);
                }
                catch (DirectoryOperationException)
                {
                }
                options.StartTransportLayerSecurity(null);
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void TrustOnly(LdapSessionOptions options, string caFile)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows' LDAP client asks the callback; the chain is built against the given CA only.
            var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caFile);
            options.VerifyServerCertificate = (_, certificate) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
            };
            return;
        }
        options.TrustedCertificatesDirectory = CaDirectory(caFile);
        // A new TLS context per connection, so that this resolver's CA is used and not a context another resolver
        // (or the system's ldap.conf) set up before.
        options.StartNewTlsSessionContext();
    }

    /// <summary>
    /// libldap takes trusted CAs from a directory; the CA file is copied into its own directory (named by its
    /// content, so an updated file gets a new one) that holds nothing else.
    /// </summary>
    private static string CaDirectory(string caFile)
    {
        var content = File.ReadAllBytes(caFile);
        var directory = Path.Combine(Path.GetTempPath(), "ctp-ldap-ca", Convert.ToHexString(SHA256.HashData(content))[..16]);
        var target = Path.Combine(directory, "ca.pem");
        if (!File.Exists(target))
        {
            Directory.CreateDirectory(directory);
            var temp = target + "." + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(temp, content);
            File.Move(temp, target, overwrite: true);
        }
        return directory;
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
