using CertTokenPortal.Core.Tokens.Pending;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.CaConnectors.Approval;

/// <summary>
/// Registers the approval-gated CA connector kind, its administration, the approve/deny use case and the poller
/// that applies the decisions of CAs which decide on their own (<see cref="CaConnectors.IPendingRequestSource"/>).
/// </summary>
public static class ApprovalServiceCollectionExtensions
{
    public static IServiceCollection AddPortalApprovalCa(this IServiceCollection services)
    {
        services.AddSingleton<ApprovalCaServices>();
        services.AddSingleton<ICaConnectorFactory, ApprovalCaConnectorFactory>();
        services.AddScoped<CreateApprovalCaCommand>();

        services.AddScoped<PendingTokenTransition>();
        services.AddScoped<PendingUploadDecision>();
        services.AddScoped<DecidePendingRequestCommand>();
        services.AddOptions<PendingRequestOptions>().BindConfiguration(PendingRequestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<PendingRequestPoller>();
        services.AddHostedService<PendingRequestPollService>();
        return services;
    }
}
