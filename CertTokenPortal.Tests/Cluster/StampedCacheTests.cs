using System.Collections.Concurrent;
using System.Data.Common;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Cluster;

/// <summary>
/// What enrolment keeps in memory (CA connectors with their templates, enrolment policies) follows every change made
/// through the normal commands on another instance of the same database at the very next use.
/// </summary>
public abstract class StampedCacheAcrossInstancesTests(CoreFixture fixture)
{
    private readonly PolicyScenario _s = new(fixture.Core);
    private CoreServices Core => fixture.Core;

    [Fact]
    public async Task Enrol_PolicyAddedChangedDeletedOnAnotherInstance_NextEnrolmentHereFollows()
    {
        await using var other = await CoreServices.StartAsync(SameDatabase());
        var alice = await _s.UserAsync();
        var name = $"p{Guid.NewGuid():N}"[..20];
        Assert.True((await _s.EnrolCsrAsync(alice)).IsSuccess); // policies and connector now kept here

        Assert.True((await SetPolicyAsync(other, name, "max_token_user=1")).IsSuccess);
        var limited = await _s.EnrolCsrAsync(alice);
        Assert.True((await SetPolicyAsync(other, name, "max_token_user=2")).IsSuccess);
        var raised = await _s.EnrolCsrAsync(alice);
        var full = await _s.EnrolCsrAsync(alice);
        Assert.True((await other.InScopeAsync(sp => sp.GetRequiredService<DeletePolicyCommand>().ExecuteAsync(TestPki.Admin, name))).IsSuccess);
        var unlimited = await _s.EnrolCsrAsync(alice);

        Assert.Equal(ErrorKind.Conflict, limited.Error?.Kind);
        Assert.True(raised.IsSuccess, raised.Error?.Message);
        Assert.Equal(ErrorKind.Conflict, full.Error?.Kind);
        Assert.True(unlimited.IsSuccess, unlimited.Error?.Message);
        Assert.Equal(3, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_TemplateMadeStaffOnlyThenDeletedOnAnotherInstance_NextEnrolmentHereFollows()
    {
        await using var other = await CoreServices.StartAsync(SameDatabase());
        var alice = await _s.UserAsync();
        var template = $"t{Guid.NewGuid():N}"[..20];
        Assert.True((await SetTemplateAsync(Core, "localCA", new TemplateRequest(template, 10) { KeyUsage = "digitalSignature" })).IsSuccess);
        var open = await _s.EnrolCsrAsync(alice, template: template);

        Assert.True((await SetTemplateAsync(other, "localCA", new TemplateRequest(template, 10) { KeyUsage = "digitalSignature", StaffOnly = true })).IsSuccess);
        var staffOnly = await _s.EnrolCsrAsync(alice, template: template);
        Assert.True((await other.InScopeAsync(sp => sp.GetRequiredService<DeleteTemplateCommand>().ExecuteAsync(TestPki.Admin, "localCA", template))).IsSuccess);
        var gone = await _s.EnrolCsrAsync(alice, template: template);

        Assert.True(open.IsSuccess, open.Error?.Message);
        Assert.Equal(EnrolmentErrors.StaffOnlyTemplate(template), staffOnly.Error);
        Assert.Equal(ErrorKind.Validation, gone.Error?.Kind);
        Assert.Equal(1, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task GetAsync_ConnectorCreatedChangedDeletedOnAnotherInstance_SeenHereAtOnce()
    {
        await using var other = await CoreServices.StartAsync(SameDatabase());
        var registry = Core.Get<ICaConnectorRegistry>();
        var name = $"c{Guid.NewGuid():N}"[..20];
        Assert.Equal(ErrorKind.NotFound, (await registry.GetAsync(name)).Error?.Kind);

        Assert.True((await other.InScopeAsync(sp => sp.GetRequiredService<CreateApprovalCaCommand>().ExecuteAsync(TestPki.Admin, name, "localCA"))).IsSuccess);
        var created = await registry.GetAsync(name);
        Assert.True((await SetTemplateAsync(other, name, new TemplateRequest("extra", 10) { KeyUsage = "digitalSignature", MakeDefault = true })).IsSuccess);
        var withTemplate = await registry.GetAsync(name);
        Assert.True((await other.InScopeAsync(sp => sp.GetRequiredService<UpdateCaConnectorCommand>()
            .ExecuteAsync(TestPki.Admin, new CaConnectorUpdate(name) { DefaultTemplate = "user" }))).IsSuccess);
        var updated = await registry.GetAsync(name);
        Assert.True((await other.InScopeAsync(sp => sp.GetRequiredService<DeleteCaCommand>().ExecuteAsync(TestPki.Admin, name))).IsSuccess);
        var deleted = await registry.GetAsync(name);

        Assert.Equal((ApprovalCaConnector.TypeName, "user"), (created.Value.Type, created.Value.DefaultTemplate));
        Assert.Equal("extra", withTemplate.Value.DefaultTemplate);
        Assert.Equal("user", updated.Value.DefaultTemplate);
        Assert.Equal(ErrorKind.NotFound, deleted.Error?.Kind);
    }

    private Task<Result<PolicyView>> SetPolicyAsync(CoreServices on, string name, string action) =>
        on.InScopeAsync(sp => sp.GetRequiredService<SetPolicyCommand>().ExecuteAsync(TestPki.Admin, new PolicyRequest(name, action) { Realms = _s.Realm }));

    private static Task<Result<TemplateInfo>> SetTemplateAsync(CoreServices on, string ca, TemplateRequest request) =>
        on.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(TestPki.Admin, ca, request));

    private Dictionary<string, string?> SameDatabase() => new()
    {
        ["Portal:Database:Provider"] = fixture.Provider.ToString().ToLowerInvariant(),
        ["ConnectionStrings:Portal"] = Core.Configuration.GetConnectionString("Portal")
                                       ?? $"Data Source={Path.Combine(Core.DataDirectory, "portal.db")}",
    };
}

[Trait("Category", "Unit")]
public sealed class StampedCacheAcrossSqliteInstancesTests(CoreFixture fixture)
    : StampedCacheAcrossInstancesTests(fixture), IClassFixture<CoreFixture>;

[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class StampedCacheAcrossPostgreSqlInstancesTests(CoreFixture.OnPostgreSql fixture)
    : StampedCacheAcrossInstancesTests(fixture), IClassFixture<CoreFixture.OnPostgreSql>;

/// <summary>
/// The caches are used: while the stamp holds, a look-up runs only the stamp's query, and enrolment reads neither
/// templates nor policies; a change (or an unknown name) makes it read again.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StampedCacheUseTests : IAsyncLifetime
{
    private readonly CommandLog _commands = new();
    private CoreServices _core = null!;

    public async Task InitializeAsync() => _core = await CoreServices.StartAsync(configure: s =>
        s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(_commands), ServiceLifetime.Singleton));

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task GetAsync_StampUnchanged_OnlyTheStampQueried()
    {
        var registry = _core.Get<ICaConnectorRegistry>();
        Assert.True((await registry.GetAsync("localCA")).IsSuccess);
        _commands.Clear();

        var again = await registry.GetAsync("localCA");
        var stampOnly = _commands.Taken();
        await SetTemplateAsync("after");
        _commands.Clear();
        var changed = await registry.GetAsync("localCA");

        Assert.True(again.IsSuccess);
        Assert.Single(stampOnly);
        Assert.Contains("\"CacheVersions\"", stampOnly[0]);
        Assert.Single(_commands.Taken(), c => c.Contains("\"CertificateTemplates\""));
        Assert.True(((ICaTemplateCatalog)changed.Value).IsStaffOnly("after"));
    }

    [Fact]
    public async Task GetAsync_UnknownName_QueriedEveryTimeNeverKept()
    {
        var registry = _core.Get<ICaConnectorRegistry>();
        _commands.Clear();

        await registry.GetAsync("no-such-ca");
        await registry.GetAsync("no-such-ca");

        Assert.Equal(2, _commands.Taken().Count(c => c.Contains("\"CertificateTemplates\"")));
    }

    [Fact]
    public async Task ResolveAsync_StampUnchanged_PoliciesNotReadAgainUntilAPolicyChanges()
    {
        var resolver = _core.Get<EffectivePolicyResolver>();
        await resolver.ResolveAsync("user", "default");
        _commands.Clear();

        await resolver.ResolveAsync("user", "default");
        var kept = _commands.Taken();
        await _core.InScopeAsync(sp => sp.GetRequiredService<SetPolicyCommand>().ExecuteAsync(TestPki.Admin,
            new PolicyRequest("cache-use", "max_token_user=3") { Realms = "default" }));
        _commands.Clear();
        var resolved = await resolver.ResolveAsync("user", "default");

        Assert.DoesNotContain(kept, c => c.Contains("\"Policies\""));
        Assert.Single(_commands.Taken(), c => c.Contains("\"Policies\""));
        Assert.Equal(3, resolved.MaxTokens?.Value);
    }

    [Fact]
    public async Task Enrol_SecondEnrolment_ReadsNoTemplatesAndNoPolicies()
    {
        var s = new PolicyScenario(_core);
        var alice = await s.UserAsync();
        Assert.True((await s.EnrolCsrAsync(alice)).IsSuccess);
        _commands.Clear();

        var second = await s.EnrolCsrAsync(alice);

        Assert.True(second.IsSuccess, second.Error?.Message);
        Assert.DoesNotContain(_commands.Taken(), c => c.Contains("\"CertificateTemplates\"") || c.Contains("\"Policies\""));
    }

    private async Task SetTemplateAsync(string name, bool staffOnly = true) =>
        Assert.True((await _core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(TestPki.Admin, "localCA",
            new TemplateRequest(name, 10) { KeyUsage = "digitalSignature", StaffOnly = staffOnly }))).IsSuccess);

    /// <summary>The text of every command the portal's contexts run.</summary>
    private sealed class CommandLog : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> _texts = new();

        public void Clear() => _texts.Clear();

        public List<string> Taken() => [.. _texts];

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
            Log(command, result);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Log(command, result));

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
            Log(command, result);

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Log(command, result));

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
            Log(command, result);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Log(command, result));

        private T Log<T>(DbCommand command, T result)
        {
            _texts.Enqueue(command.CommandText);
            return result;
        }
    }
}
