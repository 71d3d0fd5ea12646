using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Tests.CaConnectors.Administration;

/// <summary>Deleting CAs, publishing CRLs on demand, reading CRL status and CA certificates.</summary>
[Trait("Category", "ExternalTool")]
public sealed class CaLifecycleTests(CoreFixture fixture) : IClassFixture<CoreFixture>, IDisposable
{
    private readonly CoreServices _core = fixture.Core;
    private readonly TempDirectory _dir = new("ctp-lifecycle");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DeleteCa_CaThatIssuedNothing_DeletedWithItsKeyAndTemplates()
    {
        await NewCa("short-lived-ca");

        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<DeleteCaCommand>().ExecuteAsync(TestPki.Admin, "short-lived-ca"));

        Assert.True(result.IsSuccess, result.Error?.ToString());
        await using var db = _core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == "short-lived-ca"));
        Assert.False(await db.LocalCas.AnyAsync(l => l.Subject == "CN=short-lived-ca"));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.CaDelete && a.CaName == "short-lived-ca" && a.Success));
    }

    [Fact]
    public async Task DeleteCa_CaThatIssued_ConflictAndKept()
    {
        await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]));

        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<DeleteCaCommand>().ExecuteAsync(TestPki.Admin, "localCA"));

        Assert.Equal(ErrorKind.Conflict, result.Error?.Kind);
        await using var db = _core.NewDb();
        Assert.True(await db.CaConnectors.AnyAsync(c => c.Name == "localCA"));
    }

    [Fact]
    public async Task DeleteCa_Helpdesk_Forbidden()
    {
        await NewCa("kept-ca");

        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<DeleteCaCommand>().ExecuteAsync(TestPki.Helpdesk, "kept-ca"));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        await using var db = _core.NewDb();
        Assert.True(await db.CaConnectors.AnyAsync(c => c.Name == "kept-ca"));
    }

    [Fact]
    public async Task PublishNowAsync_Admin_NextNumberAndStatusShowsIt()
    {
        var scope = _core.Get<IServiceScopeFactory>().CreateScope();
        var crlStatus = scope.ServiceProvider.GetRequiredService<GetCrlStatusQuery>();
        var publishCrl = scope.ServiceProvider.GetRequiredService<PublishCrlCommand>();
        var before = (await crlStatus.ExecuteAsync(TestPki.Admin, "localCA")).Value;

        var published = await publishCrl.ExecuteAsync(TestPki.Admin, "localCA");

        Assert.True(published.IsSuccess, published.Error?.ToString());
        Assert.True(published.Value.Number > before.Number);
        var status = (await crlStatus.ExecuteAsync(TestPki.Helpdesk, "localCA")).Value; // helpdesk may view
        Assert.Equal(published.Value.Number, status.Number);
        Assert.Equal(7, (status.NextUpdate - status.ThisUpdate).TotalDays);
        await using var db = _core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.CaCrlPublish && a.Success && a.Message.Contains($"number {status.Number}")));
    }

    [Fact]
    public async Task PublishNowAsync_Helpdesk_ForbiddenAndNumberUnchanged()
    {
        var scope = _core.Get<IServiceScopeFactory>().CreateScope();
        var crlStatus = scope.ServiceProvider.GetRequiredService<GetCrlStatusQuery>();
        var publishCrl = scope.ServiceProvider.GetRequiredService<PublishCrlCommand>();
        var before = (await crlStatus.ExecuteAsync(TestPki.Admin, "localCA")).Value.Number;

        var result = await publishCrl.ExecuteAsync(TestPki.Helpdesk, "localCA");

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal(before, (await crlStatus.ExecuteAsync(TestPki.Admin, "localCA")).Value.Number);
    }

    [Fact]
    public async Task GetStatusAsync_EndUser_Forbidden()
    {
        var user = new Core.Identity.Actor("alice", "default", Core.Identity.PortalRoles.User, null);
        var scope = _core.Get<IServiceScopeFactory>().CreateScope();
        var crlStatus = scope.ServiceProvider.GetRequiredService<GetCrlStatusQuery>();
        var publishCrl = scope.ServiceProvider.GetRequiredService<PublishCrlCommand>();

        Assert.Equal(ErrorKind.Forbidden, (await crlStatus.ExecuteAsync(user, "localCA")).Error?.Kind);
    }

    [Fact]
    public async Task CaCertificates_Get_CertificatePemWithoutSecrets()
    {
        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<GetCaCertificateQuery>().ExecuteAsync(TestPki.Helpdesk, "localCA"));

        Assert.True(result.IsSuccess);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", result.Value.CertificatePem);
        Assert.Equal("", result.Value.ChainPem); // a root
        Assert.Equal("CN=CertTokenPortal Root CA", result.Value.Subject);
        Assert.Equal("RSA 3072", result.Value.KeyDescription);
    }

    private async Task NewCa(string name)
    {
        var created = await _core.InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>()
            .ExecuteAsync(TestPki.Admin, new NewRootCaRequest(name, $"CN={name}") { KeyType = "ec" }));
        Assert.True(created.IsSuccess, created.Error?.ToString());
        await _core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(TestPki.Admin, name, new TemplateRequest("t", 10)));
    }
}
