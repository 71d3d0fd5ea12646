using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary><c>POST /token/renew/&lt;serial&gt;</c>, the renewal options and the certificate history over HTTP.</summary>
[Trait("Category", "Api")]
public sealed class TokenRenewalApiTests(TokenRenewalApiTests.Portal portal) : IClassFixture<TokenRenewalApiTests.Portal>
{
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("rena", PortalRoles.User);
            await this.CreateUserAsync("otto", PortalRoles.User);
            await this.CreateUserAsync("hank", PortalRoles.Helpdesk);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private async Task<string> EnrolForRenaAsync(ApiClient staff, params (string, string)[] mode)
    {
        var answer = await staff.PostFormAsync("/token/init", [("type", "certificate"), ("user", "rena"), ("ca", "localCA"), .. mode]);
        Assert.True(answer.Ok, answer.ToString());
        return answer.Detail.GetProperty("serial").GetString()!;
    }

    private async Task<int> HistoryCountAsync(string serial)
    {
        await using var db = portal.NewDb();
        return await db.TokenCertificates.CountAsync(c => c.TokenSerial == serial);
    }

    [Fact]
    public async Task Renew_GenkeyByStaff_SameSerialNewPkcs12AndHistoryListsBoth()
    {
        var hank = await ApiClient.LoginAsync(portal, "hank", PortalUsers.Password);
        var serial = await EnrolForRenaAsync(hank, ("genkey", "1"), ("keytype", "ec"));
        var before = (await hank.GetAsync($"/token/{serial}")).Value.GetProperty("info").GetProperty("cert_serial").GetString();

        var renewed = await hank.PostFormAsync($"/token/renew/{serial}", ("genkey", "1"), ("keytype", "ec"), ("curve", "P-384"));

        Assert.True(renewed.Ok, renewed.ToString());
        Assert.Equal((serial, "enrolled", "new_key"), (renewed.Detail.GetProperty("serial").GetString(), renewed.Detail.GetProperty("rollout_state").GetString(), renewed.Detail.GetProperty("mode").GetString()));
        var password = renewed.Detail.GetProperty("pkcs12_password").GetString()!;
        using var bundle = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(renewed.Detail.GetProperty("pkcs12").GetString()!), password);
        Assert.True(bundle.HasPrivateKey);
        Assert.Equal(before, renewed.Detail.GetProperty("replaced_certificate_serial").GetString());
        Assert.Equal(JsonValueKind.Null, renewed.Detail.GetProperty("replaced_revoke_after").ValueKind);

        var history = await hank.GetAsync($"/token/{serial}/certificates");
        Assert.True(history.Ok, history.ToString());
        Assert.Equal([("current", "rekey", bundle.SerialNumber), ("superseded", "enrolment", before)],
            history.Value.EnumerateArray().Select(h => (h.GetProperty("state").GetString(), h.GetProperty("origin").GetString(), h.GetProperty("certificate_serial").GetString())));
    }

    [Fact]
    public async Task Renew_OwnerOutsideWindowOthersTokenRevokedOrBadParameters_ClearStatusesAndNothingWritten()
    {
        var hank = await ApiClient.LoginAsync(portal, "hank", PortalUsers.Password);
        var rena = await ApiClient.LoginAsync(portal, "rena", PortalUsers.Password);
        var otto = await ApiClient.LoginAsync(portal, "otto", PortalUsers.Password);
        var serial = await EnrolForRenaAsync(hank, ("request", TestCsrs.Rsa("rena")));
        var revoked = await EnrolForRenaAsync(hank, ("request", TestCsrs.Rsa("rena")));
        Assert.True((await hank.PostFormAsync("/token/revoke", ("serial", revoked), ("reason", "superseded"))).Ok);

        var outside = await rena.PostFormAsync($"/token/renew/{serial}");
        var others = await otto.PostFormAsync($"/token/renew/{serial}");
        var locked = await hank.PostFormAsync($"/token/renew/{revoked}");
        var both = await hank.PostFormAsync("/token/renew", ("serial", serial), ("genkey", "1"), ("request", TestCsrs.Rsa("rena")));
        var upload = await hank.PostFormAsync($"/token/renew/{serial}", ("certificate", TestCsrs.SelfSignedCertificate("rena")));
        var weak = await hank.PostFormAsync($"/token/renew/{serial}", ("request", TestCsrs.WeakRsa1024("rena")));

        Assert.Equal(HttpStatusCode.BadRequest, outside.Status);
        Assert.Contains("can be renewed from", outside.ErrorMessage);
        Assert.Equal(HttpStatusCode.NotFound, others.Status);
        Assert.Equal((HttpStatusCode.BadRequest, 1007), (locked.Status, locked.ErrorCode));
        Assert.All([both, upload, weak], a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        Assert.Equal(1, await HistoryCountAsync(serial));
        Assert.Equal(1, await HistoryCountAsync(revoked));
    }

    [Fact]
    public async Task RenewalOptions_Owner_ShowsWindowAndTheTemplatesRule()
    {
        var hank = await ApiClient.LoginAsync(portal, "hank", PortalUsers.Password);
        var rena = await ApiClient.LoginAsync(portal, "rena", PortalUsers.Password);
        var serial = await EnrolForRenaAsync(hank, ("request", TestCsrs.Rsa("rena")));

        var options = await rena.GetAsync($"/token/renew/{serial}");

        Assert.True(options.Ok, options.ToString());
        Assert.False(options.Value.GetProperty("open_now").GetBoolean());
        Assert.True(options.Value.GetProperty("window_applies").GetBoolean());
        Assert.Contains("30 days before expiry", options.Value.GetProperty("rules").GetString());
        Assert.False((await hank.GetAsync($"/token/renew/{serial}")).Value.GetProperty("window_applies").GetBoolean());
    }

    [Fact]
    public async Task SetTemplate_RenewalSettings_RoundTripAndBadValuesRefused()
    {
        var admin = await ApiClient.LoginAsync(portal, "admin", CoreServices.AdminPassword);

        var set = await admin.PostFormAsync("/caconnector/localCA/template/renewtest", ("days", "90"), ("renewal_window_days", "14"),
            ("superseded_grace_days", "3"), ("renew_same_key", "false"));
        var kept = await admin.PostFormAsync("/caconnector/localCA/template/renewtest", ("days", "90"));
        var never = await admin.PostFormAsync("/caconnector/localCA/template/renewtest", ("days", "90"), ("superseded_grace_days", "never"));
        var bad = await admin.PostFormAsync("/caconnector/localCA/template/renewtest", ("days", "90"), ("renewal_window_days", "-1"));

        Assert.True(set.Ok, set.ToString());
        Assert.Equal((14, 3, false), (set.Value.GetProperty("renewal_window_days").GetInt32(), set.Value.GetProperty("superseded_grace_days").GetInt32(), set.Value.GetProperty("renew_same_key").GetBoolean()));
        Assert.Equal((14, 3), (kept.Value.GetProperty("renewal_window_days").GetInt32(), kept.Value.GetProperty("superseded_grace_days").GetInt32()));
        Assert.Equal("never", never.Value.GetProperty("superseded_grace_days").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task OpenApi_DescribesRenewalAndHistory()
    {
        using var document = JsonDocument.Parse(await portal.CreateClient().GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var renew = paths.GetProperty("/token/renew/{serial}").GetProperty("post");
        Assert.Contains("genkey", renew.GetProperty("summary").GetString());
        Assert.Contains("renewal_window_days", renew.GetProperty("description").GetString());
        Assert.True(paths.TryGetProperty("/token/{serial}/certificates", out _));
        Assert.Contains("renewal_window_days", paths.GetProperty("/caconnector/{name}/template/{template}").GetProperty("post").GetProperty("summary").GetString());
    }
}
