using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Tests.CaConnectors.Templates;

[Trait("Category", "ExternalTool")]
public sealed class TemplateCommandsTests(CoreFixture fixture) : IClassFixture<CoreFixture>, IDisposable
{
    private readonly CoreServices _core = fixture.Core;
    private readonly TempDirectory _dir = new("ctp-templates");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SetAsync_NamesAndOids_StoredCanonicallyAndIssuedAsSaid()
    {
        var result = await Set(new TemplateRequest("smartcard", 90)
        {
            KeyUsage = "DIGITALSIGNATURE, nonRepudiation",
            ExtendedKeyUsage = "clientAuth smartcardLogon 1.3.6.1.5.5.7.3.21",
            CopySans = true,
            SubjectComponents = "email",
            SubjectSource = "csr",
            AllowedRdns = "CN",
        });

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(["digitalSignature", "nonRepudiation"], result.Value.KeyUsage);
        Assert.Equal(["clientAuth", "smartcardLogon", "1.3.6.1.5.5.7.3.21"], result.Value.ExtendedKeyUsage);

        var csr = TestPki.OpenSslCsr(_dir, ["rsa:2048"], "/CN=alice", ["-addext", "subjectAltName=otherName:1.3.6.1.4.1.311.20.2.3;UTF8:alice@corp.example"]);
        var issued = await TestPki.IssueAsync(_core, "localCA", csr, "smartcard");
        var text = ExternalTool.OpenSsl("x509", "-in", TestPki.WritePem(_dir, "leaf.pem", issued.Certificate), "-noout", "-text").StdOut;
        Assert.Contains("Digital Signature, Non Repudiation\n", text);
        Assert.Contains("TLS Web Client Authentication, Microsoft Smartcard Login, SSH Client", text);
        Assert.Contains("othername: UPN::alice@corp.example", text);
        Assert.Contains("emailAddress = alice@example.com", ExternalTool.OpenSsl("x509", "-in", _dir.File("leaf.pem"), "-noout", "-subject").StdOut);
    }

    [Fact]
    public async Task SetAsync_ExistingTemplate_ReplacesIt()
    {
        await Set(new TemplateRequest("replace-me", 10) { KeyUsage = "digitalSignature" });

        await Set(new TemplateRequest("replace-me", 20) { KeyUsage = "keyAgreement", ExtendedKeyUsage = "serverAuth" });

        await using var db = _core.NewDb();
        var template = await db.CertificateTemplates.SingleAsync(t => t.Name == "replace-me");
        Assert.Equal(20, template.ValidityDays);
        Assert.Equal("keyAgreement", template.KeyUsage);
        Assert.Equal("serverAuth", template.ExtendedKeyUsage);
    }

    public static TheoryData<TemplateRequest, string> BadTemplates => new()
    {
        { new TemplateRequest("bad-ku", 10) { KeyUsage = "digitalSignature,signEverything" }, "'signEverything' is not a key usage" },
        { new TemplateRequest("bad-eku", 10) { ExtendedKeyUsage = "clientAuth,superUser" }, "'superUser' is not an extended key usage" },
        { new TemplateRequest("bad-days", 0), "days must be between 1 and 36500 days" },
        { new TemplateRequest("bad name", 10), "A template name needs 1 to 64 characters" },
        { new TemplateRequest("bad-component", 10) { SubjectComponents = "email,phone" }, "'phone' is not a subject component" },
    };

    [Theory]
    [MemberData(nameof(BadTemplates))]
    public async Task SetAsync_BadInput_ValidationAndNothingSaved(TemplateRequest request, string message)
    {
        var result = await Set(request);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains(message, result.Error!.Message);
        await using var db = _core.NewDb();
        Assert.False(await db.CertificateTemplates.AnyAsync(t => t.Name == request.Name));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.CaTemplate && !a.Success && a.Message == result.Error.Message));
    }

    [Fact]
    public async Task SetAsync_UnknownCa_NotFound() =>
        Assert.Equal(ErrorKind.NotFound, (await Set(new TemplateRequest("x", 10), "no-such-ca")).Error?.Kind);

    [Fact]
    public async Task SetAsync_Helpdesk_ForbiddenAndNothingSaved()
    {
        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>()
            .ExecuteAsync(TestPki.Helpdesk, "localCA", new TemplateRequest("helpdesk-made", 10)));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        await using var db = _core.NewDb();
        Assert.False(await db.CertificateTemplates.AnyAsync(t => t.Name == "helpdesk-made"));
    }

    [Fact]
    public async Task DeleteAsync_Template_GoneAndIssuingWithItRefused()
    {
        await Set(new TemplateRequest("short-lived", 1) { KeyUsage = "digitalSignature" });

        var deleted = await _core.InScopeAsync(sp => sp.GetRequiredService<DeleteTemplateCommand>().ExecuteAsync(TestPki.Admin, "localCA", "short-lived"));

        Assert.True(deleted.IsSuccess);
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        await using var db = _core.NewDb();
        var outcome = await connector.IssueAsync(new CaIssueRequest(TestPki.Parse(TestPki.OpenSslCsr(_dir, ["rsa:2048"])), "short-lived", TestPki.Alice), default);
        Assert.Contains("There is no template 'short-lived' on the CA 'localCA'", outcome.Error?.Message);
    }

    [Fact]
    public async Task SetAsync_MakeDefault_RegistryListsItAsDefault()
    {
        await Set(new TemplateRequest("preferred", 10) { KeyUsage = "digitalSignature", MakeDefault = true });
        try
        {
            var info = (await _core.Get<ICaConnectorRegistry>().ListAsync()).Single(c => c.Name == "localCA");
            Assert.Equal("preferred", info.DefaultTemplate);
            Assert.Contains(info.Templates, t => t.Name == "server" && t.CopySans);
        }
        finally
        {
            await Set(new TemplateRequest("user", 365) { KeyUsage = "digitalSignature,keyEncipherment", ExtendedKeyUsage = "clientAuth,emailProtection", MakeDefault = true });
        }
    }

    private Task<Result<TemplateInfo>> Set(TemplateRequest request, string ca = "localCA") =>
        _core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(TestPki.Admin, ca, request));
}
