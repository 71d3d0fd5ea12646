using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>Uploading an existing certificate through <c>/token/init</c>: checked, governed by the owner's policy, and honest on revocation.</summary>
[Trait("Category", "Api")]
public sealed class CertificateUploadApiTests(CertificateUploadApiTests.Portal portal) : IClassFixture<CertificateUploadApiTests.Portal>
{
    /// <summary>The portal with alice (default realm), bob (realm "open": any upload taken), carol (realm "closed": no uploads),
    /// dave (realm "approved": requests go through an approval CA).</summary>
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public ApiClient Admin { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("alice", PortalRoles.User);
            await this.CreateUserAsync("bob", PortalRoles.User, realm: "open");
            await this.CreateUserAsync("carol", PortalRoles.User, realm: "closed");
            await this.CreateUserAsync("dave", PortalRoles.User, realm: "approved");
            Admin = await ApiClient.LoginAsync(this, "admin", AdminPassword);
            Assert.True((await Admin.PostFormAsync("/caconnector/approvalCA", ("type", "approval"), ("signer", "localCA"))).Ok);
            Assert.True((await Admin.PostFormAsync("/policy/open-uploads", ("scope", "enrollment"), ("realm", "open"), ("action", "certificate_upload_trust=any"))).Ok);
            Assert.True((await Admin.PostFormAsync("/policy/no-uploads", ("scope", "enrollment"), ("realm", "closed"), ("action", "certificate_allow_upload=false"))).Ok);
            Assert.True((await Admin.PostFormAsync("/policy/approve-all", ("scope", "enrollment"), ("realm", "approved"), ("action", "certificate_ca_connector=approvalCA"))).Ok);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<string, string> Refused() => new()
    {
        { "ca", "it is a CA certificate" },
        { "expired", "it expired on" },
        { "future", "it is not valid before" },
        { "rsa1024", "its RSA key has 1024 bits; at least 2048 are required" },
        { "two", "it holds more than one certificate" },
        { "unknown", "it does not chain to a CA of this portal or its root" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Init_UploadRefused_400WithReasonNothingSaved(string kind, string reason)
    {
        var pem = kind == "two"
            ? (await IssuedPemAsync()) + (await IssuedPemAsync())
            : SelfSigned(kind);
        var before = await TokenCountAsync();

        var answer = await portal.Admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "alice"), ("certificate", pem));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("The uploaded certificate is refused: ", answer.ErrorMessage);
        Assert.Contains(reason, answer.ErrorMessage);
        Assert.Equal(before, await TokenCountAsync());
    }

    [Fact]
    public async Task Init_UploadChainedToLocalCa_EnrolledWithTrustInInfo_RevokeSaysCaNotAsked()
    {
        var answer = await portal.Admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "alice"), ("certificate", await IssuedPemAsync()));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var serial = answer.Detail.GetProperty("serial").GetString()!;
        var listed = await portal.Admin.GetAsync($"/token/{serial}");
        Assert.Equal("chains to CA 'localCA'", listed.Value.GetProperty("info").GetProperty("upload_trust").GetString());

        var revoked = await portal.Admin.PostFormAsync("/token/revoke", ("serial", serial), ("reason", "keyCompromise"));

        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.False(revoked.Detail.GetProperty("ca_asked").GetBoolean());
        Assert.Contains("no CA was asked to revoke it", revoked.Detail.GetProperty("message").GetString());
        var after = await portal.Admin.GetAsync($"/token/{serial}");
        Assert.Contains("no CA was asked", after.Value.GetProperty("info").GetProperty("revocation_note").GetString());
        await using var db = portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Serial == serial && e.Message.Contains("no CA was asked")));
    }

    [Fact]
    public async Task Init_UploadUnknownIssuerUnderPolicyAny_EnrolledMarkedUntrusted()
    {
        var answer = await portal.Admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "bob"), ("certificate", SelfSigned("unknown")));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        await using var db = portal.NewDb();
        var token = await db.Tokens.SingleAsync(t => t.Serial == answer.Detail.GetProperty("serial").GetString());
        Assert.StartsWith("untrusted: it does not chain to a CA of this portal", token.UploadTrust);
        Assert.EndsWith("accepted by policy 'open-uploads'", token.UploadTrust);
    }

    [Theory]
    [InlineData("carol", "Policy 'no-uploads' does not allow uploading certificates")]
    public async Task Init_UploadAgainstOwnersPolicy_403NothingSaved(string owner, string message)
    {
        var before = await TokenCountAsync();

        var answer = await portal.Admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", owner), ("certificate", await IssuedPemAsync()));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains(message, answer.ErrorMessage);
        Assert.Equal(before, await TokenCountAsync());
    }

    [Fact]
    public async Task Init_UploadUnderApprovalPolicy_WaitsPendingUntilAnApproverApproves()
    {
        var dave = await ApiClient.LoginAsync(portal, "dave", PortalUsers.Password);
        var uploaded = await dave.PostFormAsync("/token/init", ("type", "certificate"), ("certificate", await IssuedPemAsync()));
        Assert.True(uploaded.Status == HttpStatusCode.OK, uploaded.ToString());
        var serial = uploaded.Detail.GetProperty("serial").GetString()!;
        Assert.Equal("pending", uploaded.Detail.GetProperty("rollout_state").GetString());
        Assert.StartsWith("UPL-", uploaded.Detail.GetProperty("requestId").GetString());
        var waiting = await portal.Admin.GetAsync("/token/?rollout_state=pending");
        Assert.Contains(serial, waiting.Body);

        var approved = await portal.Admin.PostFormAsync($"/token/approve/{serial}");

        Assert.True(approved.Status == HttpStatusCode.OK, approved.ToString());
        await using var db = portal.NewDb();
        var token = await db.Tokens.SingleAsync(t => t.Serial == serial);
        Assert.Equal((Core.Tokens.RolloutState.Enrolled, true), (token.RolloutState, token.Active));
        Assert.Equal("chains to CA 'localCA'", token.UploadTrust);
        Assert.NotNull(token.CertificatePem);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Serial == serial && e.Action == Core.Audit.AuditActions.TokenApprove && e.Success));
    }

    [Fact]
    public async Task Init_UploadUnderApprovalPolicyDenied_IsDeniedWithTheReasonAndInactive()
    {
        var dave = await ApiClient.LoginAsync(portal, "dave", PortalUsers.Password);
        var uploaded = await dave.PostFormAsync("/token/init", ("type", "certificate"), ("certificate", await IssuedPemAsync()));
        var serial = uploaded.Detail.GetProperty("serial").GetString()!;

        var denied = await portal.Admin.PostFormAsync($"/token/deny/{serial}", ("reason", "not a company device"));
        var again = await portal.Admin.PostFormAsync($"/token/approve/{serial}");

        Assert.True(denied.Status == HttpStatusCode.OK, denied.ToString());
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        await using var db = portal.NewDb();
        var token = await db.Tokens.SingleAsync(t => t.Serial == serial);
        Assert.Equal((Core.Tokens.RolloutState.Denied, false, "not a company device"), (token.RolloutState, token.Active, token.FailureMessage));
    }

    [Fact]
    public async Task Approve_OwnUploadUnderApprovalPolicy_403AndStillPending()
    {
        var uploaded = await portal.Admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "dave"), ("certificate", await IssuedPemAsync()));
        var serial = uploaded.Detail.GetProperty("serial").GetString()!;

        var approved = await portal.Admin.PostFormAsync($"/token/approve/{serial}");

        Assert.Equal(HttpStatusCode.Forbidden, approved.Status);
        await using var db = portal.NewDb();
        Assert.Equal(Core.Tokens.RolloutState.Pending, (await db.Tokens.SingleAsync(t => t.Serial == serial)).RolloutState);
    }

    private async Task<string> IssuedPemAsync()
    {
        var issued = await TestPki.IssueAsync(portal.Services, "localCA", TestCsrs.Ec("alice"));
        return issued.Certificate.ExportCertificatePem() + "\n";
    }

    private static string SelfSigned(string kind)
    {
        using AsymmetricAlgorithm key = kind == "rsa1024" ? RSA.Create(1024) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsa
            ? new CertificateRequest("CN=upload", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=upload", (ECDsa)key, HashAlgorithmName.SHA256);
        if (kind == "ca")
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        }
        var now = DateTimeOffset.UtcNow;
        var (from, to) = kind switch
        {
            "expired" => (now.AddDays(-30), now.AddDays(-1)),
            "future" => (now.AddDays(2), now.AddDays(30)),
            _ => (now.AddDays(-1), now.AddDays(30)),
        };
        using var certificate = request.CreateSelfSigned(from, to);
        return certificate.ExportCertificatePem();
    }

    private async Task<int> TokenCountAsync()
    {
        await using var db = portal.NewDb();
        return await db.Tokens.CountAsync();
    }
}
