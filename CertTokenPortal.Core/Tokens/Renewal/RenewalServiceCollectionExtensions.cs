using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>Registers renewal and rekey, the certificate history, and the job that revokes superseded certificates.</summary>
public static class RenewalServiceCollectionExtensions
{
    public static IServiceCollection AddPortalRenewal(this IServiceCollection services)
    {
        services.AddOptions<RenewalJobOptions>().BindConfiguration(RenewalJobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<RenewalDecider>();
        services.AddScoped<CertificateReplacement>();
        services.AddScoped<RenewalRecorder>();
        services.AddScoped<SupersededRevoker>();
        services.AddScoped<PendingRenewalDecision>();
        services.AddScoped<RenewTokenCommand>();
        services.AddScoped<TokenCertificatesQuery>();
        services.AddScoped<RenewalOptionsQuery>();
        services.AddScoped<ListPendingRenewalsQuery>();
        services.AddHostedService<SupersededRevocationService>();
        return services;
    }
}
