using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Publication;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.CaConnectors.Local.Administration;

/// <summary>Subordinate CAs below the default root "localCA", judged by openssl.</summary>
[Trait("Category", "ExternalTool")]
public sealed class CreateLocalSubordinateCaCommandTests(CoreFixture fixture) : IClassFixture<CoreFixture>, IDisposable
{
    private readonly CoreServices _core = fixture.Core;
    private readonly TempDirectory _dir = new("ctp-sub");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ExecuteAsync_UnderLocalRoot_ChainsToItsParentAndIssuesVerifiableCertificates()
    {
        var created = await Create(new NewSubordinateCaRequest("issuing-ec", "CN=Issuing CA,O=Example", "localCA") { KeyType = "ec", Curve = "P-256", ValidityDays = 400 });

        Assert.True(created.IsSuccess, created.Error?.ToString());
        var rootCertificate = await CertificateOf("localCA");
        var root = TestPki.WritePem(_dir, "root.pem", rootCertificate);
        var subCertificate = await CertificateOf("issuing-ec");
        var sub = TestPki.WritePem(_dir, "sub.pem", subCertificate);
        Assert.Contains($"{sub}: OK", ExternalTool.OpenSsl("verify", "-CAfile", root, sub).Output);
        var text = ExternalTool.OpenSsl("x509", "-in", sub, "-noout", "-text").StdOut;
        Assert.Contains("CA:TRUE, pathlen:0", text);
        Assert.Contains("Certificate Sign, CRL Sign", text);
        Assert.Equal(rootCertificate.SubjectName.RawData, subCertificate.IssuerName.RawData);
        Assert.Contains("/ca/localCA/crl", text); // the parent's CRL can revoke it
        Assert.InRange((subCertificate.NotAfter - subCertificate.NotBefore).TotalDays, 399.9, 400.1);

        await using (var db = _core.NewDb())
        {
            var local = await db.LocalCas.SingleAsync(l => l.CaConnector.Name == "issuing-ec");
            Assert.Equal(("EC P-256", 1L), (local.KeyDescription, local.CrlNumber));
            var parentId = await db.CaConnectors.Where(c => c.Name == "localCA").Select(c => c.Id).SingleAsync();
            var line = await db.IssuedCertificates.SingleAsync(i => i.CaConnectorId == parentId && i.SerialNumber == subCertificate.SerialNumber);
            Assert.Null(line.TokenSerial);
            Assert.Contains("signed by 'localCA'", (await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.CaCreate && a.CaName == "issuing-ec")).Message);
        }

        // A certificate of the new CA verifies up to the root, with the new CA's own first CRL checked.
        await _core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(TestPki.Admin, "issuing-ec",
            new TemplateRequest("user", 30) { KeyUsage = "digitalSignature", ExtendedKeyUsage = "clientAuth", MakeDefault = true }));
        var issued = await TestPki.IssueAsync(_core, "issuing-ec", TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]));
        Assert.Equal(2, issued.Chain.Count); // the new CA, then the root
        var leaf = TestPki.WritePem(_dir, "leaf.pem", issued.Certificate);
        var crl = TestPki.WriteCrlPem(_dir, "sub.crl.pem", (await _core.Get<CaPublication>().GetCrlAsync("issuing-ec")).Value.Der);
        Assert.Contains($"{leaf}: OK", ExternalTool.OpenSsl("verify", "-CAfile", root, "-untrusted", sub, "-crl_check", "-CRLfile", crl, leaf).Output);
    }

    [Fact]
    public async Task ExecuteAsync_UnderASubordinate_RefusedByPathLength()
    {
        Assert.True((await Create(new NewSubordinateCaRequest("middle", "CN=Middle", "localCA") { KeyType = "ec" })).IsSuccess);

        var result = await Create(new NewSubordinateCaRequest("below-middle", "CN=Below", "middle") { KeyType = "ec" });

        Assert.Equal(CaErrors.ParentMayNotSign("middle", "its certificate allows no CA below it (path length 0)"), result.Error);
        await AssertNothingSavedAsync("below-middle");
    }

    [Fact]
    public async Task ExecuteAsync_ApprovalParent_RefusedAboutTheParentField()
    {
        await _core.InScopeAsync(sp => sp.GetRequiredService<CreateApprovalCaCommand>().ExecuteAsync(TestPki.Admin, "gate", "localCA"));

        var result = await Create(new NewSubordinateCaRequest("under-gate", "CN=x", "gate") { KeyType = "ec" });

        Assert.Equal(CaErrors.ParentNotLocal("gate", "approval"), result.Error);
        Assert.Equal("parent", result.Error!.Field);
        await AssertNothingSavedAsync("under-gate");
    }

    [Fact]
    public async Task ExecuteAsync_UnknownParent_Refused()
    {
        var result = await Create(new NewSubordinateCaRequest("orphan", "CN=x", "nowhere") { KeyType = "ec" });

        Assert.Equal(CaErrors.NoSuchParent("nowhere"), result.Error);
        await AssertNothingSavedAsync("orphan");
    }

    [Fact]
    public async Task ExecuteAsync_OutlivesParent_RefusedNotShortened()
    {
        // localCA is valid 3650 days; 20 years is refused with the most the parent allows, never cut to fit.
        var result = await Create(new NewSubordinateCaRequest("too-long", "CN=x", "localCA") { KeyType = "ec", ValidityDays = 7300 });

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal("validity_days", result.Error!.Field);
        Assert.Matches(@"valid at most 36\d\d days", result.Error.Message);
        await AssertNothingSavedAsync("too-long");
    }

    [Fact]
    public async Task ExecuteAsync_BadSubject_RefusedAboutTheSubjectField()
    {
        var result = await Create(new NewSubordinateCaRequest("bad-subject", "no equals sign", "localCA") { KeyType = "ec" });

        Assert.Equal("subject", result.Error?.Field);
        await AssertNothingSavedAsync("bad-subject");
    }

    [Fact]
    public async Task ExecuteAsync_BadKeyAndBadSubject_RefusedAboutTheKeyAsForARoot()
    {
        var result = await Create(new NewSubordinateCaRequest("bad-both", "no equals sign", "localCA") { KeyType = "rsa", KeySize = "2048" });
        var asRoot = await _core.InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>()
            .ExecuteAsync(TestPki.Admin, new NewRootCaRequest("bad-both-root", "no equals sign") { KeyType = "rsa", KeySize = "2048" }));

        Assert.Equal("keytype", result.Error?.Field);
        Assert.Equal(asRoot.Error, result.Error);
        await AssertNothingSavedAsync("bad-both");
    }

    [Fact]
    public async Task ExecuteAsync_Helpdesk_ForbiddenAndNothingSaved()
    {
        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<CreateLocalSubordinateCaCommand>()
            .ExecuteAsync(TestPki.Helpdesk, new NewSubordinateCaRequest("by-helpdesk", "CN=x", "localCA") { KeyType = "ec" }));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        await AssertNothingSavedAsync("by-helpdesk");
    }

    private async Task AssertNothingSavedAsync(string name)
    {
        await using var db = _core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == name));
        Assert.False(await db.IssuedCertificates.AnyAsync(i => i.Subject.Contains(name)));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.CaCreate && a.CaName == name && !a.Success));
    }

    private async Task<X509Certificate2> CertificateOf(string ca) =>
        X509CertificateLoader.LoadCertificate((await _core.Get<CaPublication>().GetCertificateAsync(ca)).Value.Der);

    private Task<Result<CaConnectorInfo>> Create(NewSubordinateCaRequest request) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<CreateLocalSubordinateCaCommand>().ExecuteAsync(TestPki.Admin, request));
}
