using System.Net;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>The approval-gated CA through the API: pending, approve, deny, and who may decide.</summary>
[Trait("Category", "Api")]
public sealed class ApprovalApiTests(ApprovalApiTests.Portal portal) : IClassFixture<ApprovalApiTests.Portal>
{
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("ada", PortalRoles.Admin);
            await this.CreateUserAsync("paula", PortalRoles.User);
            await this.CreateUserAsync("hank", PortalRoles.Helpdesk);
            var admin = await ApiClient.LoginAsync(this, "admin", AdminPassword);
            var created = await admin.PostFormAsync("/caconnector/approvalCA", ("type", "approval"), ("signer", "localCA"));
            Assert.True(created.Ok, created.ToString());
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private Task<ApiClient> Admin() => ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
    private Task<ApiClient> Ada() => ApiClient.LoginAsync(portal, "ada", PortalUsers.Password);
    private Task<ApiClient> Paula() => ApiClient.LoginAsync(portal, "paula", PortalUsers.Password);

    private static async Task<(string Serial, string RequestId)> RequestAsync(ApiClient client, string? forUser = null)
    {
        var fields = new List<(string, string)> { ("type", "certificate"), ("ca", "approvalCA"), ("request", TestCsrs.Rsa(forUser ?? "paula")) };
        if (forUser is not null)
        {
            fields.Add(("user", forUser));
        }
        var answer = await client.PostFormAsync("/token/init", fields.ToArray());
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("pending", answer.Detail.GetProperty("rollout_state").GetString());
        return (answer.Detail.GetProperty("serial").GetString()!, answer.Detail.GetProperty("requestId").GetString()!);
    }

    [Fact]
    public async Task CreateApprovalCa_Listed_AndBadSignerIs400()
    {
        var admin = await Admin();

        var listed = await admin.GetAsync("/caconnector/approvalCA");
        var bad = await admin.PostFormAsync("/caconnector/brokenApproval", ("type", "approval"), ("signer", "nowhere"));
        var unknownType = await admin.PostFormAsync("/caconnector/msca", ("type", "microsoft"));

        Assert.Equal("approval", listed.Value[0].GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("signer: there is no CA connector named 'nowhere'", bad.ErrorMessage);
        Assert.Contains("use local or approval", unknownType.ErrorMessage);
    }

    [Fact]
    public async Task Flow_PendingListedThenApproved_CertificateVerifiesWithOpenSsl()
    {
        var (serial, requestId) = await RequestAsync(await Paula());
        var admin = await Admin();

        var pendingList = await admin.GetAsync("/token/?rollout_state=pending&pagesize=1000");
        var approved = await admin.PostFormAsync($"/token/approve/{serial}");

        var listed = pendingList.Value.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("serial").GetString() == serial);
        Assert.Equal("pending", listed.GetProperty("rollout_state").GetString());
        Assert.Equal(requestId, listed.GetProperty("info").GetProperty("requestId").GetString());
        Assert.True(approved.Status == HttpStatusCode.OK, approved.ToString());
        Assert.Equal("enrolled", approved.Value.GetProperty("rollout_state").GetString());
        Assert.Equal(requestId, approved.Value.GetProperty("info").GetProperty("requestId").GetString());

        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("cert.pem"), approved.Value.GetProperty("info").GetProperty("certificate").GetString());
        var (_, caPem, _, _) = await ApiClient.Anonymous(portal).DownloadAsync("/ca/localCA/cert.pem");
        File.WriteAllBytes(dir.File("ca.pem"), caPem);
        Assert.Contains(": OK", ExternalTool.OpenSsl("verify", "-CAfile", dir.File("ca.pem"), dir.File("cert.pem")).StdOut);
        var paulaSees = await (await Paula()).GetAsync($"/token/{serial}");
        Assert.Equal("enrolled", paulaSees.Value.GetProperty("rollout_state").GetString());
    }

    [Fact]
    public async Task Approve_Twice_409WithMessage()
    {
        var (serial, _) = await RequestAsync(await Paula());
        var admin = await Admin();
        Assert.True((await admin.PostFormAsync($"/token/approve/{serial}")).Ok);

        var again = await admin.PostFormAsync($"/token/approve/{serial}");
        var deny = await admin.PostFormAsync($"/token/deny/{serial}", ("reason", "second thoughts"));

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal($"Token {serial} is not pending (it is enrolled); only a pending request can be approved or denied.", again.ErrorMessage);
        Assert.Equal(HttpStatusCode.Conflict, deny.Status);
    }

    [Fact]
    public async Task Deny_WithReason_TokenDenied_ApproveAfterwards409()
    {
        var (serial, _) = await RequestAsync(await Paula());
        var admin = await Admin();

        var noReason = await admin.PostFormAsync($"/token/deny/{serial}");
        var denied = await admin.PostJsonAsync($"/token/deny/{serial}", new { reason = "Laptops get the device template." });
        var approve = await admin.PostFormAsync($"/token/approve/{serial}");

        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Contains("Say why the request is denied ('reason')", noReason.ErrorMessage);
        Assert.True(denied.Ok, denied.ToString());
        Assert.Equal("denied", denied.Value.GetProperty("rollout_state").GetString());
        Assert.Equal("Laptops get the device template.", denied.Value.GetProperty("info").GetProperty("failure").GetString());
        Assert.Equal(HttpStatusCode.Conflict, approve.Status);
        await using var db = portal.NewDb();
        Assert.False(await db.IssuedCertificates.AnyAsync(i => i.TokenSerial == serial));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenDeny && e.Success && e.Serial == serial));
    }

    [Fact]
    public async Task Approve_OwnRequestOrForSelf_403()
    {
        var ada = await Ada();
        var (madeByAda, _) = await RequestAsync(ada, forUser: "paula");
        var (forAda, _) = await RequestAsync(await Admin(), forUser: "ada");

        var approveOwn = await ada.PostFormAsync($"/token/approve/{madeByAda}");
        var denyForSelf = await ada.PostFormAsync($"/token/deny/{forAda}", ("reason", "mine"));
        var byOtherAdmin = await (await Admin()).PostFormAsync($"/token/approve/{madeByAda}");

        Assert.Equal(HttpStatusCode.Forbidden, approveOwn.Status);
        Assert.Contains("made by or for you; another admin must decide it", approveOwn.ErrorMessage);
        Assert.Equal(HttpStatusCode.Forbidden, denyForSelf.Status);
        Assert.True(byOtherAdmin.Ok, byOtherAdmin.ToString());
    }

    [Fact]
    public async Task Decide_ByHelpdeskOrUser_403_UnknownSerial404()
    {
        var (serial, _) = await RequestAsync(await Paula());

        var helpdesk = await (await ApiClient.LoginAsync(portal, "hank", PortalUsers.Password)).PostFormAsync($"/token/approve/{serial}");
        var user = await (await Paula()).PostFormAsync($"/token/deny/{serial}", ("reason", "never mind"));
        var unknown = await (await Admin()).PostFormAsync("/token/approve/CRT00000000");

        Assert.Equal(HttpStatusCode.Forbidden, helpdesk.Status);
        Assert.Equal(HttpStatusCode.Forbidden, user.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        await using var db = portal.NewDb();
        Assert.Equal("Pending", (await db.Tokens.SingleAsync(t => t.Serial == serial)).RolloutState.ToString());
    }

    [Fact]
    public async Task Init_GenkeyAtApprovalCa_400AndNothingSaved()
    {
        var paula = await Paula();
        await using var before = portal.NewDb();
        var count = await before.Tokens.CountAsync(t => t.OwnerUserName == "paula");

        var answer = await paula.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "approvalCA"), ("genkey", "1"), ("keytype", "ec"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("a key generated on the server is not kept waiting", answer.ErrorMessage);
        await using var after = portal.NewDb();
        Assert.Equal(count, await after.Tokens.CountAsync(t => t.OwnerUserName == "paula"));
    }
}
