using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Core.Tokens.Listing;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Tokens;

/// <summary>Registers the certificate token use cases, which the browser pages and the HTTP API share.</summary>
public static class TokenServiceCollectionExtensions
{
    public static IServiceCollection AddPortalTokens(this IServiceCollection services)
    {
        services.AddOptions<Work.WorkOptions>().BindConfiguration(Work.WorkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Work.WorkQueue>();
        services.AddScoped<UploadedCertificateCheck>();
        services.AddScoped<EnrolmentSourceReader>();
        services.AddScoped<TokenCertificateWriter>();
        services.AddScoped<OwnerQuota>();
        services.AddScoped<EnrolmentRecorder>();
        services.AddScoped<EnrolTokenCommand>();
        services.AddScoped<EnrolmentPreviewQuery>();
        services.AddScoped<StoredPkcs12s>();
        services.AddScoped<ListTokensQuery>();
        services.AddScoped<ExportTokensCsvQuery>();
        services.AddScoped<GetTokenQuery>();
        services.AddScoped<TokenRevoker>();
        services.AddScoped<RevokeTokenCommand>();
        services.AddScoped<ReleaseTokenCommand>();
        services.AddScoped<DeleteTokenCommand>();
        services.AddScoped<TokenUpdater>();
        services.AddScoped<SetTokenDescriptionCommand>();
        services.AddScoped<SetTokenPinCommand>();
        services.AddScoped<SetTokenActiveCommand>();
        services.AddScoped<AssignTokenCommand>();
        services.AddScoped<UnassignTokenCommand>();
        services.AddScoped<DownloadPkcs12Query>();
        services.AddScoped<Info.SetTokenInfoCommand>();
        services.AddScoped<Info.DeleteTokenInfoCommand>();
        services.AddScoped<ExportCertificateQuery>();
        services.AddScoped<History.TokenHistoryQuery>();
        Renewal.RenewalServiceCollectionExtensions.AddPortalRenewal(services);
        return services;
    }
}
