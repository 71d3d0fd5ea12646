using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.CaConnectors.Publication;
using CertTokenPortal.Core.Pki;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core;

/// <summary>Registers the PKI engine: CSR checks, key and PKCS#12 generation, the local CA, CA administration and the default CA.</summary>
public static class PortalPkiServiceCollectionExtensions
{
    public static IServiceCollection AddPortalPki(this IServiceCollection services)
    {
        services.AddOptions<Pkcs12Options>().BindConfiguration(Pkcs12Options.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DefaultCaOptions>().BindConfiguration(DefaultCaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CrlRefreshOptions>().BindConfiguration(CrlRefreshOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Stateless or thread-safe: one instance for the application.
        services.AddSingleton<CsrParser>();
        services.AddSingleton<KeyGenerator>();
        services.AddSingleton<CsrBuilder>();
        services.AddSingleton<Pkcs12Builder>();
        services.AddSingleton<Pkcs12PasswordChange>();
        services.AddSingleton<CertificateFactory>();
        services.AddSingleton<OcspResponseBuilder>();
        services.AddSingleton<AttestationVerifier>();

        // The local CA; connector kinds are found by type through their factories.
        services.AddSingleton<LocalCaKeyStore>();
        services.AddSingleton<LocalCaLedger>();
        services.AddSingleton<LocalCrlPublisher>();
        services.AddSingleton<LocalCaServices>();
        services.AddSingleton<ICaConnectorFactory, LocalCaConnectorFactory>();
        services.AddSingleton<ICaConnectorRegistry, CaConnectorRegistry>();
        services.AddSingleton<PublicArtifactCache>();
        services.AddSingleton<CaPublication>();
        services.AddSingleton<CrlRefresher>();
        services.AddHostedService<CrlRefreshService>();

        // Administration use cases.
        services.AddSingleton<LocalCaRecordFactory>();
        services.AddScoped<CreateLocalRootCaCommand>();
        services.AddScoped<ImportLocalCaCommand>();
        services.AddScoped<SetTemplateCommand>();
        services.AddScoped<DeleteTemplateCommand>();
        services.AddScoped<DeleteCaCommand>();
        services.AddScoped<PublishCrlCommand>();
        services.AddScoped<GetCrlStatusQuery>();
        services.AddScoped<GetCaCertificateQuery>();
        services.AddScoped<ListCaConnectorsQuery>();
        services.AddScoped<GetCaConnectorQuery>();
        services.AddScoped<UpdateCaConnectorCommand>();
        services.AddScoped<ListEnrolmentCasQuery>();
        services.AddScoped<ListCaSummariesQuery>();
        services.AddScoped<GetCaDetailsQuery>();

        services.AddStartupTask<DefaultCaSeeder>();
        return services;
    }
}
