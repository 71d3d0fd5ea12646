using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Tests.CaConnectors.Administration;

/// <summary>The CA list and details pages' read model, checked against what openssl says about the same certificates.</summary>
[Trait("Category", "ExternalTool")]
public sealed class CaOverviewTests(CoreFixture fixture) : IClassFixture<CoreFixture>, IDisposable
{
    private static readonly Actor User = new("ulla", "default", PortalRoles.User, null);
    private readonly CoreServices _core = fixture.Core;
    private readonly TempDirectory _dir = new("ctp-overview");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ListAsync_Helpdesk_DefaultCaWithKeyTemplatesCrlAndIssuedCount()
    {
        var before = Single(await ListAsync(TestPki.Helpdesk), "localCA");
        await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]));

        var after = Single(await ListAsync(TestPki.Helpdesk), "localCA");

        Assert.Equal(("local", "RSA 3072", "user"), (after.Type, after.KeyDescription, after.DefaultTemplate));
        Assert.StartsWith("CN=", after.Subject);
        Assert.True(after.NotBefore < after.NotAfter);
        Assert.True(after.TemplateCount >= 1);
        Assert.True(after.CrlNumber >= 1);
        Assert.NotNull(after.CrlNextUpdate);
        Assert.Equal(before.IssuedCount + 1, after.IssuedCount);
    }

    [Fact]
    public async Task GetAsync_ImportedIntermediate_FactsAndChainAsOpenSslSeesThem()
    {
        string F(string name) => _dir.File(name);
        ExternalTool.OpenSsl("req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", F("root.key"), "-subj", "/CN=Overview Root",
            "-days", "30", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", F("root.pem"));
        ExternalTool.OpenSsl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes", "-keyout", F("inter.key"),
            "-subj", "/CN=Overview Intermediate", "-out", F("inter.csr"));
        File.WriteAllText(F("ca.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
        ExternalTool.OpenSsl("x509", "-req", "-in", F("inter.csr"), "-CA", F("root.pem"), "-CAkey", F("root.key"), "-set_serial", "0x1234ABCD",
            "-days", "20", "-extfile", F("ca.ext"), "-out", F("inter.pem"));
        var imported = await _core.InScopeAsync(sp => sp.GetRequiredService<ImportLocalCaCommand>().ExecuteAsync(TestPki.Admin,
            new ImportCaRequest("overview-inter")
            {
                CertificatePem = File.ReadAllText(F("inter.pem")) + File.ReadAllText(F("root.pem")),
                KeyPem = File.ReadAllText(F("inter.key")),
            }));
        Assert.True(imported.IsSuccess, imported.Error?.ToString());

        var details = await GetAsync(TestPki.Helpdesk, "overview-inter");

        Assert.True(details.IsSuccess, details.Error?.ToString());
        var ca = details.Value.Certificate!;
        Assert.Equal(("CN=Overview Intermediate", "CN=Overview Root", "1234ABCD", "EC P-384", false),
            (ca.Subject, ca.Issuer, ca.SerialNumber, ca.KeyDescription, ca.IsSelfIssued));
        Assert.Equal(OpenSslFingerprint(F("inter.pem")), ca.Sha256Fingerprint);
        Assert.Equal(OpenSslDate(F("inter.pem"), "-enddate"), ca.NotAfter);
        var root = Assert.Single(details.Value.Chain);
        Assert.Equal(("CN=Overview Root", "RSA 3072", true), (root.Subject, root.KeyDescription, root.IsSelfIssued));
        Assert.Equal(OpenSslFingerprint(F("root.pem")), root.Sha256Fingerprint);
        Assert.Empty(details.Value.Templates);
        Assert.Equal((7, 2, 0), (details.Value.CrlValidityDays, details.Value.CrlOverlapDays, details.Value.IssuedCount));
    }

    [Fact]
    public async Task GetAsync_Templates_SortedByName()
    {
        var admin = TestPki.Admin;
        Assert.True((await _core.InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>().ExecuteAsync(admin,
            new NewRootCaRequest("overview-root", "CN=Overview Templates") { KeyType = "ec" }))).IsSuccess);
        foreach (var name in new[] { "zeta", "alpha" })
        {
            await _core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(admin, "overview-root",
                new TemplateRequest(name, 30) { KeyUsage = "digitalSignature", ExtendedKeyUsage = "clientAuth" }));
        }

        var details = (await GetAsync(admin, "overview-root")).Value;

        Assert.Equal(["alpha", "zeta"], details.Templates.Select(t => t.Name));
        Assert.Equal("zeta", details.DefaultTemplate); // the first template becomes the default
        Assert.True(details.Certificate!.IsSelfIssued);
        Assert.Empty(details.Chain);
    }

    [Fact]
    public async Task GetAsync_UnknownCa_NotFound()
    {
        var result = await GetAsync(TestPki.Admin, "no-such-ca");

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.Equal("There is no CA connector named 'no-such-ca'.", result.Error?.Message);
    }

    [Fact]
    public async Task ListAndGet_EndUser_Forbidden()
    {
        var list = await _core.InScopeAsync(sp => sp.GetRequiredService<ListCaSummariesQuery>().ExecuteAsync(User));
        var details = await GetAsync(User, "localCA");

        Assert.Equal(ErrorKind.Forbidden, list.Error?.Kind);
        Assert.Equal(ErrorKind.Forbidden, details.Error?.Kind);
    }

    private async Task<IReadOnlyList<CaSummary>> ListAsync(Actor actor)
    {
        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<ListCaSummariesQuery>().ExecuteAsync(actor));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    private Task<Result<CaDetails>> GetAsync(Actor actor, string name) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<GetCaDetailsQuery>().ExecuteAsync(actor, name));

    private static CaSummary Single(IEnumerable<CaSummary> all, string name) => Assert.Single(all, c => c.Name == name);

    /// <summary>openssl's "sha256 Fingerprint=AB:CD:..." value.</summary>
    private static string OpenSslFingerprint(string pem) =>
        ExternalTool.OpenSsl("x509", "-in", pem, "-noout", "-fingerprint", "-sha256").StdOut.Trim().Split('=', 2)[1];

    private static DateTime OpenSslDate(string pem, string which)
    {
        var text = ExternalTool.OpenSsl("x509", "-in", pem, "-noout", which, "-dateopt", "iso_8601").StdOut.Trim().Split('=', 2)[1];
        return DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
    }
}
