using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Notifications;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Notifications;

/// <summary>The admin's side: test mail over STARTTLS with AUTH, settings, templates, and who may change them.</summary>
[Trait("Category", "ExternalTool")]
public sealed class NotificationAdministrationTests : IAsyncLifetime
{
    private NotificationScenario _s = null!;

    public async Task InitializeAsync() =>
        _s = await NotificationScenario.StartAsync(startTls: true, credentials: ("mailer", "Smtp-Secret1"),
            extra: new() { ["Portal:Mail:UserName"] = "mailer", ["Portal:Mail:Password"] = "Smtp-Secret1" });

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private Task<Result> TestMailAsync(Actor actor, string address) =>
        _s.Core.InScopeAsync(sp => sp.GetRequiredService<SendTestMailCommand>().ExecuteAsync(actor, address));

    [Fact]
    public async Task SendTestMailCommand_StartTlsWithAuth_Delivered()
    {
        var sent = await TestMailAsync(TestPki.Admin, "ops@example.test");

        Assert.True(sent.IsSuccess, sent.Error?.Message);
        var mail = Assert.Single(_s.Smtp.Received);
        Assert.True(mail.Secure);
        Assert.Equal("mailer", mail.User);
        Assert.Equal("CertTokenPortal test mail", mail.Message.Subject);
    }

    [Fact]
    public async Task SendTestMailCommand_WrongPassword_ConflictSaysWhyAndAudits()
    {
        var saved = await SaveSettingsAsync(TestPki.Admin, Settings() with { Password = "wrong" });
        Assert.True(saved.IsSuccess, saved.Error?.Message);

        var sent = await TestMailAsync(TestPki.Admin, "ops@example.test");

        Assert.Equal(ErrorKind.Conflict, sent.Error?.Kind);
        Assert.Empty(_s.Smtp.Received);
        await using var db = _s.Core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.NotificationTest && !a.Success));
    }

    [Fact]
    public async Task SendTestMailCommand_UntrustedCertificateNotPinned_Refused()
    {
        Assert.True((await SaveSettingsAsync(TestPki.Admin, Settings() with { ServerCertificateSha256 = "" })).IsSuccess);

        var sent = await TestMailAsync(TestPki.Admin, "ops@example.test");

        Assert.Equal(ErrorKind.Conflict, sent.Error?.Kind);
        Assert.Empty(_s.Smtp.Received);
    }

    [Fact]
    public async Task SaveMailSettingsCommand_KeepsPasswordWhenNullAndNeverShowsIt()
    {
        Assert.True((await SaveSettingsAsync(TestPki.Admin, Settings() with { Password = null, ExpiryWarningDays = "14 3" })).IsSuccess);

        var overview = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<NotificationOverviewQuery>().ExecuteAsync(TestPki.Admin));

        Assert.True(overview.Value.Settings.FromDatabase);
        Assert.True(overview.Value.Settings.PasswordSet);
        Assert.Equal("14, 3", overview.Value.Settings.ExpiryWarningDays);
        Assert.True((await TestMailAsync(TestPki.Admin, "ops@example.test")).IsSuccess);
    }

    [Theory]
    [InlineData("", "Bad days")]
    [InlineData("30, 0", "ExpiryDays")]
    [InlineData("30", "Port")]
    public async Task SaveMailSettingsCommand_BadInput_ValidationAndNothingSaved(string days, string what)
    {
        var input = what switch
        {
            "Port" => Settings() with { Port = 70000 },
            "ExpiryDays" => Settings() with { ExpiryWarningDays = days },
            _ => Settings() with { Host = "" },
        };

        var saved = await SaveSettingsAsync(TestPki.Admin, input);

        Assert.Equal(ErrorKind.Validation, saved.Error?.Kind);
        await using var db = _s.Core.NewDb();
        Assert.False(await db.MailSettings.AnyAsync());
    }

    [Fact]
    public async Task SaveMailSettingsCommand_Helpdesk_ForbiddenAndNothingSaved()
    {
        var saved = await SaveSettingsAsync(TestPki.Helpdesk, Settings());

        Assert.Equal(ErrorKind.Forbidden, saved.Error?.Kind);
        await using var db = _s.Core.NewDb();
        Assert.False(await db.MailSettings.AnyAsync());
    }

    [Fact]
    public async Task SaveNotificationTemplateCommand_UnknownPlaceholder_ValidationAndNothingSaved()
    {
        var saved = await SaveTemplateAsync(new NotificationTemplateInput(NotificationKind.TestMail, "Hi {{recipient}}", "{{password}}", ""));

        Assert.Equal(ErrorKind.Validation, saved.Error?.Kind);
        Assert.Contains("{{password}}", saved.Error!.Message);
        await using var db = _s.Core.NewDb();
        Assert.False(await db.NotificationTemplates.AnyAsync());
    }

    [Fact]
    public async Task SaveNotificationTemplateCommand_CustomTemplate_UsedAndValuesEncodedInHtml()
    {
        var saved = await SaveTemplateAsync(new NotificationTemplateInput(NotificationKind.TestMail,
            "Check from {{actor}}", "Plain {{recipient}}", "<p>{{recipient}}</p>"));
        Assert.True(saved.IsSuccess, saved.Error?.Message);

        Assert.True((await TestMailAsync(TestPki.Admin, "\"<b>x</b>\" <ops@example.test>")).IsSuccess);

        var mail = Assert.Single(_s.Smtp.Received);
        Assert.Equal("Check from admin", mail.Message.Subject);
        Assert.Contains("<p>&quot;&lt;b&gt;x&lt;/b&gt;&quot; &lt;ops@example.test&gt;</p>", mail.Message.HtmlBody);

        Assert.True((await SaveTemplateAsync(new NotificationTemplateInput(NotificationKind.TestMail, null, null, null, Reset: true))).IsSuccess);
        await using var db = _s.Core.NewDb();
        Assert.False(await db.NotificationTemplates.AnyAsync());
    }

    [Fact]
    public void TemplateRenderer_NoCodeRuns_OnlyKnownMarksAreFilled()
    {
        var template = new NotificationTemplate { Subject = "a\r\nBcc: x@evil.test {{serial}}", TextBody = "{{ serial }} {{unknown}} {% raw %} @(1+1)", HtmlBody = "{{serial}}" };

        var mail = TemplateRenderer.Render(template, new Dictionary<string, string> { ["serial"] = "<CRT>" });

        Assert.DoesNotContain("\n", mail.Subject);
        Assert.Equal("<CRT>  {% raw %} @(1+1)", mail.TextBody);
        Assert.Equal("&lt;CRT&gt;", mail.HtmlBody);
    }

    private MailSettingsInput Settings() => new(true, "127.0.0.1", _s.Smtp.Port, MailSecurity.StartTls, "mailer", "Smtp-Secret1",
        "pki@example.test", _s.Smtp.CertificateSha256, "30, 7, 1");

    private Task<Result> SaveSettingsAsync(Actor actor, MailSettingsInput input) =>
        _s.Core.InScopeAsync(sp => sp.GetRequiredService<SaveMailSettingsCommand>().ExecuteAsync(actor, input));

    private Task<Result> SaveTemplateAsync(NotificationTemplateInput input) =>
        _s.Core.InScopeAsync(sp => sp.GetRequiredService<SaveNotificationTemplateCommand>().ExecuteAsync(TestPki.Admin, input));
}
