using System.Reflection;
using Bunit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Notifications;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using NotificationsPage = CertTokenPortal.Components.Pages.Notifications.Notifications;

namespace CertTokenPortal.Tests.Components.Pages.Notifications;

/// <summary>The Notifications page: settings shown without the password, template edits saved, outbox failures listed.</summary>
[Trait("Category", "Component")]
public sealed class NotificationsTests : PortalComponentTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public override async Task InitializeAsync()
    {
        await UseCoreAsync(new Dictionary<string, string?>
        {
            ["Portal:Mail:Enabled"] = "true", ["Portal:Mail:Host"] = "smtp.example.test", ["Portal:Mail:From"] = "pki@example.test",
            ["Portal:Mail:UserName"] = "mailer", ["Portal:Mail:Password"] = "Very-Secret-1",
        });
        await using var db = Core.NewDb();
        db.OutboxMessages.Add(new OutboxMessage
        {
            Kind = NotificationKind.TokenRevoked, Recipient = "bob@example.test", Subject = "Your certificate CRT00000001 was revoked",
            State = OutboxState.Failed, Attempts = 8, LastError = "554 Transaction failed", CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Notifications_AuthorizeAttribute_IsTheManageNotificationsPolicy()
    {
        var policies = typeof(NotificationsPage).GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy);

        Assert.Contains(RolePermissions.PolicyName(Permission.ManageNotifications), policies);
        Assert.False(RolePermissions.Allows(PortalRoles.Helpdesk, Permission.ManageNotifications));
    }

    [Fact]
    public void Render_Admin_ShowsSettingsWithoutPasswordAndTheFailedMail()
    {
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<NotificationsPage>();

        cut.WaitForAssertion(() => Assert.Contains("554 Transaction failed", cut.Find("[data-testid=outbox-error]").TextContent), Patience);
        Assert.Contains("0 waiting · 1 failed · 0 sent", cut.Find("[data-testid=outbox-counts]").TextContent);
        Assert.Equal("smtp.example.test", cut.Find("[data-testid=mail-host]").GetAttribute("value"));
        Assert.DoesNotContain("Very-Secret-1", cut.Markup);
        Assert.Contains("A password is set", cut.Markup);
        Assert.NotNull(cut.Find("[data-testid=outbox-retry]"));
    }

    [Fact]
    public async Task SaveTemplate_EditedSubject_SavedForTheChosenKind()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<NotificationsPage>();
        cut.WaitForElement("[data-testid=template-subject]", Patience);

        cut.Find("[data-testid=template-subject]").Change("Expiring: {{serial}}");
        await cut.Find("[data-testid=template-save]").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            using var check = Core.NewDb();
            Assert.Equal("Expiring: {{serial}}", check.NotificationTemplates.AsNoTracking().Single(t => t.Kind == NotificationKind.ExpiryWarning).Subject);
        }, Patience);
    }
}
