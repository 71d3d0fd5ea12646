using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// Arranges policy tests on Core: a fresh realm per test (so the policies of one test never reach another's
/// users), users in it, policies scoped to it, and enrolments through the real token service.
/// </summary>
public sealed class PolicyScenario(CoreServices core)
{
    public static readonly Actor Admin = TestPki.Admin;

    /// <summary>A realm of its own for this scenario.</summary>
    public string Realm { get; } = $"r{Guid.NewGuid():N}"[..20];

    public CoreServices Core => core;

    /// <summary>Creates a user (default role user) in this scenario's realm; returns the actor as the user.</summary>
    public async Task<Actor> UserAsync(string prefix = "u", string role = PortalRoles.User)
    {
        var name = $"{prefix}{Guid.NewGuid():N}"[..16];
        await PortalUsers.CreateAsync(core.Services, name, role, Realm);
        return new Actor(name, Realm, role, "127.0.0.1");
    }

    /// <summary>Saves a policy scoped to this realm (unless <paramref name="realms"/> says otherwise); fails the test if refused.</summary>
    public async Task<PolicyView> PolicyAsync(string action, string? roles = null, int priority = 1, string? realms = null, string? name = null)
    {
        var result = await SetPolicyAsync(action, roles, priority, realms, name);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    public Task<Core.Common.Result<PolicyView>> SetPolicyAsync(string action, string? roles = null, int priority = 1, string? realms = null, string? name = null) =>
        core.InScopeAsync(sp => sp.GetRequiredService<SetPolicyCommand>().ExecuteAsync(Admin,
            new PolicyRequest(name ?? $"p{Guid.NewGuid():N}"[..20], action) { Roles = roles, Realms = realms ?? Realm, Priority = priority }));

    public Task<Core.Common.Result<EnrolmentResult>> EnrolAsync(Actor actor, EnrolmentRequest request) =>
        core.InScopeAsync(sp => sp.GetRequiredService<EnrolTokenCommand>().ExecuteAsync(actor, request));

    /// <summary>A CSR enrolment on localCA (unless the request says otherwise) for the actor.</summary>
    public Task<Core.Common.Result<EnrolmentResult>> EnrolCsrAsync(Actor actor, string? csr = null, string? ca = "localCA", string? template = null,
        string? forUser = null, string? attestation = null) =>
        EnrolAsync(actor, new EnrolmentRequest
        {
            Csr = csr ?? TestCsrs.Rsa(forUser ?? actor.UserName), CaName = ca, TemplateName = template, UserName = forUser, Attestation = attestation,
        });

    /// <summary>How many tokens the owner has, in any state.</summary>
    public int TokenCount(string owner)
    {
        using var db = core.NewDb();
        return db.Tokens.Count(t => t.OwnerUserName == owner);
    }
}
