using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Notifications;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Pending;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Notifications;

/// <summary>The events that mail someone, received by a real SMTP server: recipients, subjects, links.</summary>
[Trait("Category", "ExternalTool")]
public sealed class TokenNotificationsTests : IAsyncLifetime
{
    private NotificationScenario _s = null!;

    public async Task InitializeAsync()
    {
        _s = await NotificationScenario.StartAsync();
        await _s.Core.CreateUserAsync("bob");
        await _s.Core.CreateUserAsync("ada", PortalRoles.Admin);
        await _s.Core.CreateUserAsync("abe", PortalRoles.Admin);
        await _s.Core.CreateUserAsync("helen", PortalRoles.Helpdesk);
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task RevokeTokenCommand_MailOn_OwnerGetsMailWithReasonAndLink()
    {
        var token = await _s.Core.EnrolCsrAsync("bob", "bob");

        await _s.Core.RevokeAsync(token.Serial, "keyCompromise");
        Assert.Equal(1, await _s.SendDueAsync());

        var mail = Assert.Single(_s.Smtp.Received);
        Assert.Equal(["bob@example.test"], mail.To);
        Assert.Equal($"Your certificate {token.Serial} was revoked", mail.Message.Subject);
        Assert.Contains("keyCompromise", mail.Message.TextBody);
        Assert.Contains($"http://pki.test/tokens/{token.Serial}", mail.Message.TextBody);
        Assert.Contains($"href=\"http://pki.test/tokens/{token.Serial}\"", mail.Message.HtmlBody);
        Assert.Equal("pki@example.test", mail.Envelope);
        Assert.Equal(OutboxState.Sent, Assert.Single(await _s.OutboxAsync()).State);
    }

    [Fact]
    public async Task EnrolTokenCommand_ApprovalCa_ApproversButNotRequesterAreMailed()
    {
        await CreateApprovalCaAsync();

        var pending = await RequestAsync();
        await _s.SendDueAsync();

        Assert.Equal(["abe@example.test", "ada@example.test"], _s.Smtp.Received.SelectMany(m => m.To).Order().ToArray());
        Assert.All(_s.Smtp.Received, m =>
        {
            Assert.Equal($"Certificate request {pending} waits for your decision", m.Message.Subject);
            Assert.Contains("http://pki.test/pending", m.Message.TextBody);
            Assert.Contains("helen asked for a certificate", m.Message.TextBody);
        });
    }

    [Fact]
    public async Task DecidePendingRequestCommand_Denied_OwnerAndRequesterGetReason()
    {
        await CreateApprovalCaAsync();
        var pending = await RequestAsync();
        await _s.SendDueAsync();
        var before = _s.Smtp.Received.Count;

        var denied = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<DecidePendingRequestCommand>()
            .ExecuteAsync(new Actor("ada", "default", PortalRoles.Admin, null), new DecisionRequest(pending, false, "not a <company> laptop")));
        Assert.True(denied.IsSuccess, denied.Error?.Message);
        await _s.SendDueAsync();

        var mails = _s.Smtp.Received.Skip(before).ToList();
        Assert.Equal(["bob@example.test", "helen@example.test"], mails.SelectMany(m => m.To).Order().ToArray());
        Assert.All(mails, m =>
        {
            Assert.Equal($"Your certificate request {pending} was denied", m.Message.Subject);
            Assert.Contains("Reason: not a <company> laptop", m.Message.TextBody);
            Assert.Contains("not a &lt;company&gt; laptop", m.Message.HtmlBody);
        });
    }

    [Fact]
    public async Task DecidePendingRequestCommand_Approved_OwnerGetsDownloadLink()
    {
        await CreateApprovalCaAsync();
        var pending = await RequestAsync();
        await _s.SendDueAsync();
        var before = _s.Smtp.Received.Count;

        var approved = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<DecidePendingRequestCommand>()
            .ExecuteAsync(new Actor("ada", "default", PortalRoles.Admin, null), new DecisionRequest(pending, true)));
        Assert.True(approved.IsSuccess, approved.Error?.Message);
        await _s.SendDueAsync();

        var toBob = Assert.Single(_s.Smtp.Received.Skip(before), m => m.To.Contains("bob@example.test"));
        Assert.Equal($"Your certificate request {pending} was approved", toBob.Message.Subject);
        Assert.Contains($"http://pki.test/tokens/{pending}", toBob.Message.TextBody);
    }

    [Fact]
    public async Task RevokeTokenCommand_MailOff_WritesNoOutboxRow()
    {
        await using var off = await NotificationScenario.StartAsync(mailOn: false);
        await off.Core.CreateUserAsync("bob");
        var token = await off.Core.EnrolCsrAsync("bob", "bob");

        await off.Core.RevokeAsync(token.Serial);

        Assert.Empty(await off.OutboxAsync());
    }

    [Fact]
    public async Task RevokeTokenCommand_Refused_WritesNoMail()
    {
        var token = await _s.Core.EnrolCsrAsync("bob", "bob");
        await _s.Core.RevokeAsync(token.Serial);

        var again = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<Core.Tokens.Lifecycle.RevokeTokenCommand>()
            .ExecuteAsync(TestPki.Admin, token.Serial, "superseded"));

        Assert.False(again.IsSuccess);
        Assert.Single(await _s.OutboxAsync());
    }

    private async Task CreateApprovalCaAsync()
    {
        var created = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<CreateApprovalCaCommand>().ExecuteAsync(Actor.System, "approvalCA", "localCA"));
        Assert.True(created.IsSuccess, created.Error?.Message);
    }

    private async Task<string> RequestAsync()
    {
        var result = await _s.Core.EnrolAsync(new EnrolmentRequest { UserName = "bob", CaName = "approvalCA", Csr = TestCsrs.Rsa("bob") },
            new Actor("helen", "default", PortalRoles.Helpdesk, null));
        Assert.Equal(Core.Tokens.RolloutState.Pending, result.Token.RolloutState);
        return result.Token.Serial;
    }
}
