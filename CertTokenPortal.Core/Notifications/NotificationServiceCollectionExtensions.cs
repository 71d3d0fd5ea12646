using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CertTokenPortal.Core.Notifications;

/// <summary>Registers e-mail notifications: settings, outbox, sender, expiry reminders and the admin use cases.</summary>
public static class NotificationServiceCollectionExtensions
{
    public static IServiceCollection AddPortalNotifications(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IMailTransport, SmtpMailTransport>();
        services.AddSingleton<MailSettingsStore>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<TokenNotifications>();
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<ExpiryReminder>();
        services.AddScoped<NotificationOverviewQuery>();
        services.AddScoped<SaveMailSettingsCommand>();
        services.AddScoped<SaveNotificationTemplateCommand>();
        services.AddScoped<SendTestMailCommand>();
        services.AddScoped<RetryOutboxMessageCommand>();
        services.AddSingleton<NotificationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationWorker>());
        return services;
    }
}
