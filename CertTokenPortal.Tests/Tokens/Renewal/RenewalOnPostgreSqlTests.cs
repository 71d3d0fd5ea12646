using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Renewal;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Renewal;

/// <summary>Renewal on PostgreSQL: the history and its backfilled migration, one winner of two renewals at once, the superseded job.</summary>
[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class RenewalOnPostgreSqlTests(CoreFixture.OnPostgreSql fixture) : IClassFixture<CoreFixture.OnPostgreSql>
{
    private readonly PolicyScenario _s = new(fixture.Core);

    [Fact]
    public async Task ExecuteAsync_TwiceAtOnce_ExactlyOneWinsAndGraceZeroRevokesAtOnce()
    {
        var owner = await _s.UserAsync();
        var token = (await _s.EnrolAsync(TestPki.Helpdesk, new EnrolmentRequest
        {
            UserName = owner.UserName, Realm = owner.Realm, CaName = "localCA", Csr = TestCsrs.Rsa(owner.UserName),
        })).Value.Token;
        await using (var db = fixture.Core.NewDb())
        {
            var template = db.CertificateTemplates.Single(t => t.CaConnector.Name == "localCA" && t.Name == token.TemplateName);
            template.SupersededGraceDays = 0;
            await db.SaveChangesAsync();
        }
        var request = new RenewalRequest(token.Serial) { GenerateKey = true, KeyType = "rsa", KeySize = "3072" };

        var results = await Task.WhenAll(
            Task.Run(() => fixture.Core.RenewAsync(TestPki.Helpdesk, request)),
            Task.Run(() => fixture.Core.RenewAsync(TestPki.Admin, request)));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Equal(RenewalErrors.Concurrent(token.Serial), Assert.Single(results, r => !r.IsSuccess).Error);
        var history = await fixture.Core.HistoryAsync(token.Serial);
        Assert.Equal([TokenCertificateStates.Revoked, TokenCertificateStates.Current], history.Select(h => h.State));
        Assert.Equal(2, await fixture.Core.LedgerLinesAsync(token.Serial));
        Assert.Equal(0, await fixture.Core.InScopeAsync(sp => sp.GetRequiredService<SupersededRevoker>().RevokeDueAsync(null, default)));
    }
}
