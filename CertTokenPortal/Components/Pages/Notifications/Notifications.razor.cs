using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Notifications;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Notifications;

/// <summary>The admin's notification page: SMTP settings with a test mail, the templates, and the outbox with its failures.</summary>
public partial class Notifications
{
    private sealed class SettingsForm
    {
        public bool Enabled { get; set; }
        public string? Host { get; set; }
        public int Port { get; set; } = 587;
        public MailSecurity Security { get; set; }
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public string? From { get; set; }
        public string? ServerCertificateSha256 { get; set; }
        public string? ExpiryWarningDays { get; set; }
    }

    private sealed class TemplateForm
    {
        public string? Subject { get; set; }
        public string? Text { get; set; }
        public string? Html { get; set; }
    }

    private NotificationOverview? _overview;
    private string? _loadError;
    private Actor? _actor;
    private bool _busy;
    private SettingsForm _form = new();
    private TemplateForm _template = new();
    private NotificationKind _kind = NotificationKind.ExpiryWarning;
    private string? _testAddress;

    [Inject] private NotificationOverviewQuery Overview { get; set; } = default!;
    [Inject] private SaveMailSettingsCommand SaveSettings { get; set; } = default!;
    [Inject] private SaveNotificationTemplateCommand SaveTemplate { get; set; } = default!;
    [Inject] private SendTestMailCommand SendTest { get; set; } = default!;
    [Inject] private RetryOutboxMessageCommand Retry { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _actor = await Session.GetActorAsync();
        await LoadAsync(resetForms: true);
    }

    private async Task LoadAsync(bool resetForms)
    {
        var result = await Overview.ExecuteAsync(_actor!);
        if (!result.TryGetValue(out var overview, out var error))
        {
            _loadError = error.Message;
            return;
        }
        _overview = overview;
        if (resetForms)
        {
            var s = overview.Settings;
            _form = new SettingsForm
            {
                Enabled = s.Enabled, Host = s.Host, Port = s.Port, Security = s.Security, UserName = s.UserName, From = s.From,
                ServerCertificateSha256 = s.ServerCertificateSha256, ExpiryWarningDays = s.ExpiryWarningDays,
            };
            SelectTemplate(_kind);
        }
    }

    private void SelectTemplate(NotificationKind kind)
    {
        _kind = kind;
        var t = _overview!.Templates.Single(x => x.Kind == kind);
        _template = new TemplateForm { Subject = t.Subject, Text = t.TextBody, Html = t.HtmlBody };
    }

    private Task SaveSettingsAsync() => RunAsync(() => SaveSettings.ExecuteAsync(_actor!, new MailSettingsInput(
        _form.Enabled, _form.Host, _form.Port, _form.Security, _form.UserName,
        string.IsNullOrEmpty(_form.Password) ? null : _form.Password, _form.From, _form.ServerCertificateSha256, _form.ExpiryWarningDays)),
        "Mail settings saved.", resetForms: true);

    private Task SendTestAsync() => RunAsync(() => SendTest.ExecuteAsync(_actor!, _testAddress), $"Test mail sent to {_testAddress}.", resetForms: false);

    private Task SaveTemplateAsync() => RunAsync(() => SaveTemplate.ExecuteAsync(_actor!,
        new NotificationTemplateInput(_kind, _template.Subject, _template.Text, _template.Html)), "Template saved.", resetForms: true);

    private Task ResetTemplateAsync() => RunAsync(() => SaveTemplate.ExecuteAsync(_actor!,
        new NotificationTemplateInput(_kind, null, null, null, Reset: true)), "Template back to the built-in text.", resetForms: true);

    private Task RetryAsync(long id) => RunAsync(() => Retry.ExecuteAsync(_actor!, id), "Mail queued again.", resetForms: false);

    private async Task RunAsync(Func<Task<Result>> action, string success, bool resetForms)
    {
        _busy = true;
        try
        {
            var result = await action();
            if (result.IsSuccess)
            {
                Snackbar.ShowSuccess(success);
                _form.Password = null;
                await LoadAsync(resetForms);
            }
            else
            {
                Snackbar.ShowError(result.Error);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private static string KindName(NotificationKind kind) => kind switch
    {
        NotificationKind.ExpiryWarning => "Certificate expires soon",
        NotificationKind.RequestWaiting => "Request waits for approval",
        NotificationKind.RequestApproved => "Request approved",
        NotificationKind.RequestDenied => "Request denied",
        NotificationKind.TokenRevoked => "Certificate revoked",
        NotificationKind.TestMail => "Test mail",
        _ => kind.ToString(),
    };
}
