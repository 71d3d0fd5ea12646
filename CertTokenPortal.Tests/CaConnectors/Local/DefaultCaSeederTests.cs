using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Startup;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Tests.CaConnectors.Local;

[Trait("Category", "Unit")]
public sealed class DefaultCaSeederTests
{
    [Fact]
    public async Task FirstStart_CreatesLocalCaWithUserAndServerTemplatesAndFirstCrl()
    {
        await using var core = await CoreServices.StartAsync();

        await using var db = core.NewDb();
        var ca = await db.CaConnectors.Include(c => c.Templates).Include(c => c.LocalCa).SingleAsync();
        Assert.Equal("localCA", ca.Name);
        Assert.Equal("local", ca.Type);
        Assert.Equal("user", ca.DefaultTemplate);
        Assert.Equal("CN=CertTokenPortal Root CA", ca.LocalCa!.Subject);
        Assert.Equal("RSA 3072", ca.LocalCa.KeyDescription);
        Assert.Equal(1, ca.LocalCa.CrlNumber);
        Assert.NotNull(ca.LocalCa.CrlDer);
        var user = ca.Templates.Single(t => t.Name == "user");
        Assert.Equal((365, "digitalSignature,keyEncipherment", "clientAuth,emailProtection", false), (user.ValidityDays, user.KeyUsage, user.ExtendedKeyUsage, user.CopySans));
        var server = ca.Templates.Single(t => t.Name == "server");
        Assert.Equal((730, "digitalSignature,keyEncipherment", "serverAuth", true), (server.ValidityDays, server.KeyUsage, server.ExtendedKeyUsage, server.CopySans));
    }

    [Fact]
    public async Task SecondStart_ChangesNothing()
    {
        await using var core = await CoreServices.StartAsync();
        await using var before = core.NewDb();
        var first = await before.LocalCas.AsNoTracking().SingleAsync();

        await StartupTaskRunner.RunAsync(core.Services);

        await using var after = core.NewDb();
        var again = await after.LocalCas.AsNoTracking().SingleAsync();
        Assert.Equal(first.CertificatePem, again.CertificatePem);
        Assert.Equal(first.CrlNumber, again.CrlNumber);
        Assert.Equal(1, await after.CaConnectors.CountAsync());
    }

    [Fact]
    public async Task TwoInstancesStartingAtOnce_OneCaAndNoFailure()
    {
        await using var first = await CoreServices.StartAsync();
        await using var second = await CoreServices.StartAsync(new Dictionary<string, string?> { ["Portal:DataDirectory"] = first.DataDirectory });
        Assert.True((await first.InScopeAsync(sp => sp.GetRequiredService<DeleteCaCommand>().ExecuteAsync(TestPki.Admin, "localCA"))).IsSuccess);
        using var start = new Barrier(2);

        async Task Seed(CoreServices instance)
        {
            await using var scope = instance.Services.CreateAsyncScope();
            var seeder = scope.ServiceProvider.GetRequiredService<DefaultCaSeeder>();
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            await seeder.RunAsync(default);
        }

        await Task.WhenAll(Task.Run(() => Seed(first)), Task.Run(() => Seed(second)));

        await using var db = first.NewDb();
        var ca = await db.LocalCas.Include(l => l.CaConnector).SingleAsync();
        Assert.Equal("localCA", ca.CaConnector.Name);
        Assert.True(ca.CrlNumber >= 1);
    }

    [Fact]
    public async Task ConfiguredDefaultCa_UsesNameSubjectAndKey()
    {
        await using var core = await CoreServices.StartAsync(new Dictionary<string, string?>
        {
            ["Portal:DefaultCa:Name"] = "corpCA",
            ["Portal:DefaultCa:Subject"] = "CN=Corp Issuing CA,O=Corp",
            ["Portal:DefaultCa:KeyType"] = "ec",
            ["Portal:DefaultCa:Curve"] = "P-384",
            ["Portal:DefaultCa:CrlValidityDays"] = "3",
            ["Portal:DefaultCa:CrlOverlapDays"] = "1",
        });

        var info = (await core.Get<ICaConnectorRegistry>().ListAsync()).Single();
        Assert.Equal(("corpCA", "CN=Corp Issuing CA, O=Corp"), (info.Name, info.Subject));
        await using var db = core.NewDb();
        var local = await db.LocalCas.SingleAsync();
        Assert.Equal("EC P-384", local.KeyDescription);
        Assert.Equal(3, (local.CrlNextUpdate!.Value - local.CrlThisUpdate!.Value).TotalDays);
    }

    [Fact]
    public async Task WeakConfiguredKey_StartFailsWithOperatorMessage()
    {
        var failure = await Assert.ThrowsAsync<PortalStartupException>(() => CoreServices.StartAsync(new Dictionary<string, string?>
        {
            ["Portal:DefaultCa:KeySize"] = "2048",
        }));

        Assert.Contains("Portal:DefaultCa is invalid: A CA key of RSA 2048 bits is not offered", failure.Message);
    }
}
