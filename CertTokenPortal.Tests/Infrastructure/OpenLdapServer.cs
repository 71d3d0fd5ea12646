using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// A real OpenLDAP server for tests: Debian's slapd on free loopback ports (plain LDAP and LDAPS) with a throw-away
/// slapd.conf, mdb database and TLS certificate from a throw-away CA, loaded with users and groups from an LDIF.
/// Changes (rename, delete) go through the ldap-utils as the directory's root. Stopped and deleted on dispose.
/// </summary>
public sealed class OpenLdapServer : IDisposable
{
    public const string Suffix = "dc=example,dc=org";
    public const string People = "ou=people," + Suffix;
    public const string Groups = "ou=groups," + Suffix;
    public const string RootDn = "cn=admin," + Suffix;
    public const string RootPassword = "root-secret";
    public const string ServiceDn = "cn=portal,ou=services," + Suffix;
    public const string ServicePassword = "Service-Pass1";
    public const string HelpdeskGroup = "cn=helpdesk," + Groups;
    public const string UserPassword = "Dir-Passw0rd!";

    private readonly TempDirectory _dir = new("ctp-slapd");
    private Process? _slapd;

    public OpenLdapServer() : this(1000)
    {
    }

    /// <summary>A server of its own (for stopping it mid-use, or for a bigger directory).</summary>
    /// <param name="bulkUsers">How many generated users (person00001 ...) to load besides the named ones.</param>
    public static OpenLdapServer WithUsers(int bulkUsers) => new(bulkUsers);

    private OpenLdapServer(int bulkUsers)
    {
        Directory.CreateDirectory(_dir.File("db"));
        MakeCertificates();
        File.WriteAllText(_dir.File("slapd.conf"), Config());
        File.WriteAllText(_dir.File("data.ldif"), Ldif(bulkUsers));
        ExternalTool.Succeeds("slapadd", "-q", "-f", _dir.File("slapd.conf"), "-l", _dir.File("data.ldif"));
        Start();
    }

    public int Port { get; private set; }
    public int TlsPort { get; private set; }
    public string Uri => $"ldap://127.0.0.1:{Port}";
    public string TlsUri => $"ldaps://127.0.0.1:{TlsPort}";
    public string CaFile => _dir.File("ca.pem");
    /// <summary>A CA that did not sign the server's certificate, for the failing TLS case.</summary>
    public string OtherCaFile => _dir.File("other-ca.pem");

    /// <summary>The settings of a resolver on this server as privacyIDEA's parameters, entryUUID as user id.</summary>
    public (string Name, string Value)[] ResolverParameters(string? uri = null, params (string Name, string Value)[] overrides)
    {
        var p = new Dictionary<string, string>
        {
            ["type"] = "ldapresolver",
            ["LDAPURI"] = uri ?? Uri,
            ["LDAPBASE"] = People,
            ["BINDDN"] = ServiceDn,
            ["BINDPW"] = ServicePassword,
            ["LOGINNAMEATTRIBUTE"] = "uid",
            ["LDAPSEARCHFILTER"] = "(objectClass=inetOrgPerson)",
            ["USERINFO"] = """{"username":"uid","givenname":"givenName","surname":"sn","displayname":"displayName","email":"mail","phone":"telephoneNumber"}""",
            ["UIDTYPE"] = "entryUUID",
            ["TIMEOUT"] = "2",
            ["CACHE_TIMEOUT"] = "0",
            ["SIZELIMIT"] = "20000",
            ["ROLE_GROUPS"] = $$"""{"helpdesk":"{{HelpdeskGroup}}"}""",
        };
        foreach (var (name, value) in overrides)
        {
            p[name] = value;
        }
        return p.Select(kv => (kv.Key, kv.Value)).ToArray();
    }

    /// <summary>Applies an LDIF change (add, modify, modrdn, delete) as the directory's root.</summary>
    public void Modify(string ldif)
    {
        var result = ExternalTool.Run("ldapmodify", ["-x", "-H", Uri, "-D", RootDn, "-w", RootPassword], standardInput: Encoding.UTF8.GetBytes(ldif));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public void AddUser(string uid, string displayName, string? email = null) => Modify(
        $"dn: uid={uid},{People}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {displayName}\nsn: {displayName.Split(' ').Last()}\n" +
        $"displayName: {displayName}\nmail: {email ?? uid + "@example.org"}\nuserPassword: {UserPassword}\n");

    public void Stop()
    {
        if (_slapd is { HasExited: false })
        {
            _slapd.Kill(entireProcessTree: true);
            _slapd.WaitForExit(5000);
        }
    }

    private void Start()
    {
        Port = FreePort();
        TlsPort = FreePort();
        var start = new ProcessStartInfo("slapd")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // -d 0 keeps slapd in the foreground, so the test owns the process and its end.
        foreach (var a in new[] { "-d", "0", "-f", _dir.File("slapd.conf"), "-h", $"ldap://127.0.0.1:{Port}/ ldaps://127.0.0.1:{TlsPort}/" })
        {
            start.ArgumentList.Add(a);
        }
        _slapd = Process.Start(start) ?? throw new InvalidOperationException("slapd did not start.");
        _slapd.BeginErrorReadLine();
        _slapd.BeginOutputReadLine();
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (_slapd.HasExited)
            {
                throw new InvalidOperationException($"slapd exited with {_slapd.ExitCode}; config in {_dir.Path}.");
            }
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException("slapd did not listen within 20 s.");
    }

    private void MakeCertificates()
    {
        string F(string n) => _dir.File(n);
        foreach (var ca in new[] { "ca", "other-ca" })
        {
            ExternalTool.OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", $"/CN=Test LDAP {ca}", "-keyout", F($"{ca}.key"), "-out", F($"{ca}.pem"));
        }
        ExternalTool.OpenSsl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", F("server.key"), "-out", F("server.csr"));
        File.WriteAllText(F("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        ExternalTool.OpenSsl("x509", "-req", "-in", F("server.csr"), "-CA", F("ca.pem"), "-CAkey", F("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", F("server.ext"), "-out", F("server.pem"));
    }

    private string Config() => $"""
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        include /etc/ldap/schema/nis.schema
        modulepath /usr/lib/ldap
        moduleload back_mdb
        pidfile {_dir.File("slapd.pid")}
        TLSCACertificateFile {_dir.File("ca.pem")}
        TLSCertificateFile {_dir.File("server.pem")}
        TLSCertificateKeyFile {_dir.File("server.key")}
        sizelimit unlimited
        database mdb
        maxsize 268435456
        suffix "{Suffix}"
        rootdn "{RootDn}"
        rootpw {RootPassword}
        directory {_dir.File("db")}
        index objectClass eq
        index uid,mail,cn,displayName eq,sub
        index entryUUID eq
        index member eq
        access to attrs=userPassword by self read by anonymous auth by * none
        access to * by dn.exact="{ServiceDn}" read by users read by anonymous auth
        """;

    private static string Ldif(int bulkUsers)
    {
        var ldif = new StringBuilder($"""
            dn: {Suffix}
            objectClass: dcObject
            objectClass: organization
            o: Example
            dc: example

            dn: {People}
            objectClass: organizationalUnit
            ou: people

            dn: {Groups}
            objectClass: organizationalUnit
            ou: groups

            dn: ou=services,{Suffix}
            objectClass: organizationalUnit
            ou: services

            dn: {ServiceDn}
            objectClass: organizationalRole
            objectClass: simpleSecurityObject
            cn: portal
            userPassword: {ServicePassword}


            """);
        void Person(string uid, string given, string sn, string mail)
        {
            ldif.Append($"dn: uid={uid},{People}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {given} {sn}\ngivenName: {given}\nsn: {sn}\n" +
                        $"displayName: {given} {sn}\nmail: {mail}\ntelephoneNumber: +49 30 1234\nuserPassword: {UserPassword}\n\n");
        }
        Person("alice", "Alice", "Archer", "alice.archer@example.org");
        Person("bob", "Bob", "Baker", "bob.baker@example.org");
        Person("hanna", "Hanna", "Helpdesk", "hanna@example.org");
        for (var i = 1; i <= bulkUsers; i++)
        {
            Person($"person{i:D5}", "Person", $"Number{i:D5}", $"person{i:D5}@example.org");
        }
        ldif.Append($"dn: {HelpdeskGroup}\nobjectClass: groupOfNames\ncn: helpdesk\nmember: uid=hanna,{People}\n\n");
        return ldif.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Stop();
        _slapd?.Dispose();
        _dir.Dispose();
    }
}

/// <summary>One slapd with 1,000 generated users for all directory tests (starting it costs about a second).</summary>
[CollectionDefinition(Name)]
public sealed class OpenLdapCollection : ICollectionFixture<OpenLdapServer>
{
    public const string Name = "OpenLDAP";
}
