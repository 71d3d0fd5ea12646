using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Work;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Api;

/// <summary>Key generation and signing past the bounded queue: 503 with Retry-After, and nothing written.</summary>
[Trait("Category", "Api")]
public sealed class BusyApiTests(BusyApiTests.Portal portal) : IClassFixture<BusyApiTests.Portal>
{
    /// <summary>One turn at a time and nobody may wait, so a turn held by the test fills the queue.</summary>
    public sealed class Portal() : PortalFactory(new Dictionary<string, string?>
    {
        ["Portal:Work:Concurrency"] = "1",
        ["Portal:Work:QueueLength"] = "0",
        ["Portal:Work:RetryAfterSeconds"] = "7",
    });

    [Fact]
    public async Task Init_QueueFull_503WithRetryAfterInHeaderAndEnvelopeNothingSaved()
    {
        await portal.CreateUserAsync("busy", PortalRoles.User);
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        var queue = portal.Services.GetRequiredService<WorkQueue>();

        ApiAnswer genkey, csr;
        using (var held = (await queue.EnterAsync(default)).Value)
        {
            genkey = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "busy"), ("ca", "localCA"),
                ("genkey", "1"), ("keytype", "rsa"), ("keysize", "4096"));
            csr = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "busy"), ("ca", "localCA"), ("request", TestCsrs.Rsa("busy")));
        }
        var afterwards = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "busy"), ("ca", "localCA"), ("request", TestCsrs.Rsa("busy")));

        foreach (var answer in new[] { genkey, csr })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.Equal("7", answer.Response.Headers.RetryAfter?.ToString());
            Assert.Equal(7, answer.Detail.GetProperty("retry_after").GetInt32());
            Assert.Equal(503, answer.ErrorCode);
            Assert.Contains("busy", answer.ErrorMessage);
        }
        Assert.Equal(HttpStatusCode.OK, afterwards.Status);
        await using var db = portal.NewDb();
        Assert.Equal(1, await db.Tokens.CountAsync(t => t.OwnerUserName == "busy"));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "token.enrol" && e.TargetUser == "busy"));
    }
}
