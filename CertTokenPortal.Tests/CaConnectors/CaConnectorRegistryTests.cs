using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Tests.CaConnectors;

[Trait("Category", "Unit")]
public sealed class CaConnectorRegistryTests
{
    [Fact]
    public async Task GetAsync_RecordOfAnotherType_BuiltByTheFactoryRegisteredForThatType()
    {
        await using var core = await CoreServices.StartAsync(configure: s => s.AddSingleton<ICaConnectorFactory, ProbeFactory>());
        await using (var db = core.NewDb())
        {
            db.CaConnectors.Add(new CaConnectorRecord { Name = "probe1", Type = "probe", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var registry = core.Get<ICaConnectorRegistry>();

        var probe = await registry.GetAsync("probe1");
        var local = await registry.GetAsync("localCA");

        Assert.Equal(("probe1", "probe"), (probe.Value.Name, probe.Value.Type));
        Assert.IsType<ProbeConnector>(probe.Value);
        Assert.IsType<LocalCaConnector>(local.Value);
        var listed = await registry.ListAsync();
        Assert.Equal(["localCA", "probe1"], listed.Select(c => c.Name));
        Assert.Null(listed.Single(c => c.Name == "probe1").Subject);
        Assert.Equal("CN=CertTokenPortal Root CA", listed.Single(c => c.Name == "localCA").Subject);
    }

    private sealed class ProbeFactory : ICaConnectorFactory
    {
        public string Type => "probe";

        public ICaConnector Create(CaConnectorRecord record) => new ProbeConnector(record.Name);
    }

    private sealed class ProbeConnector(string name) : ICaConnector
    {
        public string Name => name;
        public string Type => "probe";

        public Task<Result<CaIssueOutcome>> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken) =>
            Task.FromResult<Result<CaIssueOutcome>>(new CaIssueOutcome.Pending("1"));

        public Task<Result> RevokeAsync(CaRevokeRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(Result.Success());
    }
}
