using CertTokenPortal.Core.Attestation;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Policies;

/// <summary>Registers the enrolment policies, their administration and the attestation trust store.</summary>
public static class PolicyServiceCollectionExtensions
{
    public static IServiceCollection AddPortalPolicies(this IServiceCollection services)
    {
        services.AddSingleton<EffectivePolicyResolver>();
        services.AddScoped<SetPolicyCommand>();
        services.AddScoped<DeletePolicyCommand>();
        services.AddScoped<ListPoliciesQuery>();
        services.AddSingleton<EnrolmentAttestation>();
        services.AddScoped<ListAttestationRootsQuery>();
        services.AddScoped<AddAttestationRootCommand>();
        services.AddScoped<DeleteAttestationRootCommand>();
        return services;
    }
}
