using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>Shortcuts for PKI tests: CSRs made by openssl, certificates issued through a connector, files for the CLIs.</summary>
public static class TestPki
{
    public static readonly Actor Admin = new("admin", "default", PortalRoles.Admin, "127.0.0.1");
    public static readonly Actor Helpdesk = new("helen", "default", PortalRoles.Helpdesk, "127.0.0.1");
    public static readonly CertificateOwner Alice = new("alice", "default", "alice@example.com");

    /// <summary>openssl req -newkey arguments of every key type the portal accepts in a CSR.</summary>
    public static readonly string[][] AcceptedKeyTypes =
    [
        ["rsa:2048"], ["rsa:3072"], ["rsa:4096"],
        ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ["ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ["ec", "-pkeyopt", "ec_paramgen_curve:P-521"],
    ];

    /// <summary>A CSR made by <c>openssl req</c> with a new key: <paramref name="newKey"/> are the -newkey arguments.</summary>
    public static string OpenSslCsr(TempDirectory dir, string[] newKey, string subject = "/CN=alice", string[]? extra = null, string name = "req")
    {
        var csr = dir.File($"{name}.csr");
        ExternalTool.OpenSsl(["req", "-new", "-newkey", newKey[0], .. newKey[1..], "-nodes", "-keyout", dir.File($"{name}.key"),
            "-subj", subject, "-out", csr, .. extra ?? []]);
        return File.ReadAllText(csr);
    }

    public static ParsedCsr Parse(string csr)
    {
        var parsed = new CsrParser().Parse(csr);
        Assert.True(parsed.IsSuccess, parsed.Error?.ToString());
        return parsed.Value;
    }

    /// <summary>Issues <paramref name="csr"/> at the named CA and saves the ledger row, as the token service would.</summary>
    public static Task<IssuedCertificate> IssueAsync(CoreServices core, string caName, string csr, string template = "user",
        CertificateOwner? owner = null, string? tokenSerial = null) =>
        IssueAsync(core.Services, caName, csr, template, owner, tokenSerial);

    /// <summary>As above, on any service provider with the portal's services (e.g. the web app's).</summary>
    public static async Task<IssuedCertificate> IssueAsync(IServiceProvider services, string caName, string csr, string template = "user",
        CertificateOwner? owner = null, string? tokenSerial = null)
    {
        var connector = (await services.GetRequiredService<ICaConnectorRegistry>().GetAsync(caName)).Value;
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var outcome = await connector.IssueAsync(new CaIssueRequest(Parse(csr), template, owner ?? Alice) { TokenSerial = tokenSerial }, default);
        Assert.True(outcome.IsSuccess, outcome.Error?.ToString());
        var issued = Assert.IsType<CaIssueOutcome.Issued>(outcome.Value).Certificate;
        db.IssuedCertificates.Add(IssuedCertificateRecord.From(Assert.IsType<CaLedgerEntry>(issued.LedgerEntry), tokenSerial, DateTime.UtcNow));
        await db.SaveChangesAsync();
        return issued;
    }

    public static async Task<T> ConnectorAsync<T>(CoreServices core, string caName = "localCA") where T : class =>
        Assert.IsAssignableFrom<T>((await core.Get<ICaConnectorRegistry>().GetAsync(caName)).Value);

    public static string WritePem(TempDirectory dir, string name, X509Certificate2 certificate)
    {
        var path = dir.File(name);
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
        return path;
    }

    public static string WritePem(TempDirectory dir, string name, IEnumerable<X509Certificate2> certificates)
    {
        var path = dir.File(name);
        File.WriteAllText(path, string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));
        return path;
    }

    public static string WriteCrlPem(TempDirectory dir, string name, byte[] der)
    {
        var path = dir.File(name);
        File.WriteAllText(path, new string(PemEncoding.Write("X509 CRL", der)) + "\n");
        return path;
    }

    /// <summary>The root at the top of an issued certificate's chain.</summary>
    public static X509Certificate2 Root(IssuedCertificate issued) => issued.Chain[^1];
}
