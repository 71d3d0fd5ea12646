using System.Net;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Tests.Api;

/// <summary>Revocation through the API, on SQLite and on PostgreSQL (the subclasses at the end).</summary>
public abstract class TokenRevokeTests : IAsyncLifetime
{
    private readonly PortalFactory _portal;
    private ApiClient _admin = null!;

    protected TokenRevokeTests(PortalFactory portal) => _portal = portal;

    public async Task InitializeAsync()
    {
        _admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        await using var db = _portal.NewDb();
        if (!await db.Users.AnyAsync(u => u.UserName == "bob"))
        {
            await _portal.CreateUserAsync("bob", PortalRoles.User);
        }
        if (!await db.Users.AnyAsync(u => u.UserName == "hilda"))
        {
            await _portal.CreateUserAsync("hilda", PortalRoles.Helpdesk);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Serial, string CertSerial)> EnrolAsync(string commonName)
    {
        var answer = await _admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "bob"), ("ca", "localCA"), ("template", "server"), ("request", TestCsrs.Rsa(commonName)));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        using var cert = X509Certificate2.CreateFromPem(answer.Detail.GetProperty("certificate").GetString()!);
        return (answer.Detail.GetProperty("serial").GetString()!, cert.SerialNumber);
    }

    [Fact]
    public async Task Revoke_ValidToken_MarksTokenRevokedLockedInactiveAndCrlListsIt()
    {
        var (serial, certSerial) = await EnrolAsync("revoke-me");

        var answer = await _admin.PostFormAsync("/token/revoke", ("serial", serial), ("reason", "keyCompromise"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(1, answer.Value.GetInt32());
        await using var db = _portal.NewDb();
        var token = await db.Tokens.SingleAsync(t => t.Serial == serial);
        Assert.True(token.Revoked);
        Assert.True(token.Locked);
        Assert.False(token.Active);
        Assert.Equal("keyCompromise", token.RevocationReason);
        var ledger = await db.IssuedCertificates.SingleAsync(i => i.SerialNumber == certSerial);
        Assert.Equal(IssuedCertificateStatus.Revoked, ledger.Status);
        Assert.Equal(1, ledger.RevocationReason);

        // The CRL was republished before the answer: it already lists the serial.
        var crl = await ApiClient.Anonymous(_portal).DownloadAsync("/ca/localCA/crl");
        Assert.Equal(HttpStatusCode.OK, crl.Status);
        var text = await OpenSslText("crl", crl.Content);
        Assert.Contains(certSerial, text.Replace(":", "").ToUpperInvariant());
        Assert.Contains("Key Compromise", text);
    }

    [Fact]
    public async Task Revoke_PathSerialAndDefaultReason_IsUnspecified()
    {
        var (serial, _) = await EnrolAsync("path-revoke");

        var answer = await _admin.PostFormAsync($"/token/revoke/{serial}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        await using var db = _portal.NewDb();
        Assert.Equal("unspecified", (await db.Tokens.SingleAsync(t => t.Serial == serial)).RevocationReason);
    }

    [Fact]
    public async Task Revoke_Twice_SecondIs400TokenLockedAndAudited()
    {
        var (serial, _) = await EnrolAsync("twice");
        await _admin.PostFormAsync("/token/revoke", ("serial", serial));

        var again = await _admin.PostFormAsync("/token/revoke", ("serial", serial));

        // privacyIDEA answers a change to a revoked (locked) token with 400 and its error 1007.
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal(1007, again.ErrorCode);
        Assert.Contains("already revoked", again.ErrorMessage);
        await using var db = _portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenRevoke && e.Serial == serial && !e.Success));
    }

    [Fact]
    public async Task Revoke_HelpdeskWithCaCompromise_Is403AndChangesNothing()
    {
        var (serial, certSerial) = await EnrolAsync("ca-compromise");
        var hilda = await ApiClient.LoginAsync(_portal, "hilda", PortalUsers.Password);

        var answer = await hilda.PostFormAsync("/token/revoke", ("serial", serial), ("reason", "cACompromise"));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("Only admins", answer.ErrorMessage);
        await using var db = _portal.NewDb();
        Assert.False((await db.Tokens.SingleAsync(t => t.Serial == serial)).Revoked);
        Assert.Equal(IssuedCertificateStatus.Valid, (await db.IssuedCertificates.SingleAsync(i => i.SerialNumber == certSerial)).Status);
    }

    [Theory]
    [InlineData("CRTFFFFFFFF", "unspecified", HttpStatusCode.NotFound)]
    [InlineData("", "unspecified", HttpStatusCode.BadRequest)]
    [InlineData(null, "becauseIsaidSo", HttpStatusCode.BadRequest)]
    public async Task Revoke_BadInput_Is4xxAndChangesNothing(string? serial, string reason, HttpStatusCode expected)
    {
        var (existing, _) = await EnrolAsync("bystander");

        var answer = await _admin.PostFormAsync("/token/revoke", ("serial", serial ?? existing), ("reason", reason));

        Assert.Equal(expected, answer.Status);
        await using var db = _portal.NewDb();
        Assert.False((await db.Tokens.SingleAsync(t => t.Serial == existing)).Revoked);
    }

    [Fact]
    public async Task Revoke_ManyParallelRequestsForOneToken_OneSucceedsOthersAre400()
    {
        var (serial, certSerial) = await EnrolAsync("race");
        var sessions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword)));

        var answers = await Task.WhenAll(sessions.Select(s => s.PostFormAsync("/token/revoke", ("serial", serial), ("reason", "superseded"))));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Contains(answers, a => a.Status != HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        await using var db = _portal.NewDb();
        Assert.Single(await db.AuditEntries.Where(e => e.Action == AuditActions.TokenRevoke && e.Serial == serial && e.Success).ToListAsync());
        Assert.Equal(IssuedCertificateStatus.Revoked, (await db.IssuedCertificates.SingleAsync(i => i.SerialNumber == certSerial)).Status);
    }

    [Fact]
    public async Task Init_ManyParallelEnrolments_AllSucceedWithUniqueSerials()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => _admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "bob"), ("ca", "localCA"), ("template", "server"), ("request", TestCsrs.Rsa($"parallel-{i}")))));

        Assert.NotEmpty(answers);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var serials = answers.Select(a => a.Detail.GetProperty("serial").GetString()).ToList();
        Assert.Equal(serials.Count, serials.Distinct().Count());
        await using var db = _portal.NewDb();
        Assert.Equal(12, await db.Tokens.CountAsync(t => serials.Contains(t.Serial)));
    }

    [Fact]
    public async Task Delete_ValidToken_RevokesCertificateFirstThenRemovesToken()
    {
        var (serial, certSerial) = await EnrolAsync("delete-me");

        var answer = await _admin.DeleteAsync($"/token/{serial}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        await using var db = _portal.NewDb();
        Assert.False(await db.Tokens.AnyAsync(t => t.Serial == serial));
        var ledger = await db.IssuedCertificates.SingleAsync(i => i.SerialNumber == certSerial);
        Assert.Equal(IssuedCertificateStatus.Revoked, ledger.Status);
        Assert.Equal(5, ledger.RevocationReason); // cessationOfOperation
        var crl = await ApiClient.Anonymous(_portal).DownloadAsync("/ca/localCA/crl");
        Assert.Contains(certSerial, (await OpenSslText("crl", crl.Content)).Replace(":", "").ToUpperInvariant());
    }

    [Fact]
    public async Task Delete_UnknownSerial_Is404()
    {
        var answer = await _admin.DeleteAsync("/token/CRT00000BAD");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
    }

    private static async Task<string> OpenSslText(string kind, byte[] der)
    {
        using var dir = new TempDirectory();
        var path = dir.File("in.der");
        await File.WriteAllBytesAsync(path, der);
        return ExternalTool.OpenSsl(kind, "-inform", "DER", "-in", path, "-noout", "-text").StdOut;
    }
}

[Trait("Category", "Api")]
public sealed class TokenRevokeOnSqliteTests(PortalFactory portal) : TokenRevokeTests(portal), IClassFixture<PortalFactory>;

[Trait("Category", "Api"), Trait("Database", "PostgreSql")]
public sealed class TokenRevokeOnPostgreSqlTests(PortalFactory.OnPostgreSql portal) : TokenRevokeTests(portal), IClassFixture<PortalFactory.OnPostgreSql>;
