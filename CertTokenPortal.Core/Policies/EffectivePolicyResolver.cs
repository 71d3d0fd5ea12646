using CertTokenPortal.Core.Cluster;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Policies;

/// <summary>
/// The one place that decides which policy applies to an enrolment. A policy matches when it is active, of the
/// enrolment scope, lists the role of the token's owner (or no role) and the realm of the owner (or no realm): the
/// owner's policy governs whoever enrols, so staff enrolling for a user meet that user's restrictions. For each action the matching policy with the lowest priority number wins; between equal priorities the
/// name decides (ordinal), so the answer never depends on the order of rows.
/// </summary>
/// <remarks>
/// The active enrolment policies are kept in memory while the stamp <see cref="EnrolmentConfigurationStamp.Name"/>
/// holds (one primary-key read per call): every saved policy change, on any instance, bumps it in its own transaction
/// (<see cref="EnrolmentConfigurationStamp"/>), so the next call everywhere reads the policies again. The kept rows are
/// shared by concurrent calls and only read.
/// </remarks>
public sealed class EffectivePolicyResolver(IDbContextFactory<PortalDbContext> dbFactory, Users.DirectoryUsers.DirectoryOwners directoryOwners,
    ICacheVersions versions)
{
    private readonly StampedCache<string, IReadOnlyList<EnrolmentPolicy>> _active = new(versions, EnrolmentConfigurationStamp.Name);

    /// <summary>The effective policy for an owner of <paramref name="ownerRole"/> in <paramref name="ownerRealm"/>.</summary>
    public async Task<EffectivePolicy> ResolveAsync(string ownerRole, string ownerRealm, CancellationToken ct = default)
    {
        var rows = await _active.GetAsync(PolicyScopes.Enrollment, LoadActiveAsync, ct);
        return Combine(rows!.Where(p => Matches(p, ownerRole, ownerRealm)));
    }

    private async Task<IReadOnlyList<EnrolmentPolicy>?> LoadActiveAsync(string scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Policies.AsNoTracking().Where(p => p.Active && p.Scope == scope).ToListAsync(ct);
    }

    /// <summary>
    /// The policy that governs whether <paramref name="actor"/> may revoke a token of <paramref name="ownerRealm"/>:
    /// only an owner without staff rights is subject to <c>user_may_revoke</c>, so staff need no lookup.
    /// </summary>
    public Task<EffectivePolicy> ForRevocationAsync(Actor actor, string ownerRealm, CancellationToken ct = default) =>
        actor.Allows(Permission.RevokeAnyToken) ? Task.FromResult(EffectivePolicy.None) : ResolveAsync(actor.Role, ownerRealm, ct);

    /// <summary>
    /// What applies before an enrolment is submitted (the wizard's hint): the owner is resolved as enrolment does it
    /// (a user always enrols for themself; staff name the user), then <see cref="ResolveAsync"/>.
    /// </summary>
    public async Task<Result<EffectivePolicy>> PreviewAsync(Actor actor, string? userName, string? realm, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!(await EnrolmentOwner.ResolveAsync(db, directoryOwners, actor, userName, realm, ct)).TryGetValue(out var owner, out var error))
        {
            return error;
        }
        return await ResolveAsync(owner.Role, owner.Realm, ct);
    }

    internal static bool Matches(EnrolmentPolicy policy, string ownerRole, string ownerRealm)
    {
        var roles = PolicyLists.Split(policy.Roles);
        var realms = PolicyLists.Split(policy.Realms);
        return (roles.Count == 0 || roles.Contains(ownerRole, StringComparer.OrdinalIgnoreCase)) &&
               (realms.Count == 0 || realms.Contains(ownerRealm, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Weighs matching policies: walked from the strongest, the first to set an action keeps it.</summary>
    internal static EffectivePolicy Combine(IEnumerable<EnrolmentPolicy> matching)
    {
        var ordered = matching.OrderBy(p => p.Priority).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        var effective = new EffectivePolicy { MatchedPolicies = ordered.Select(p => p.Name).ToList() };
        foreach (var policy in ordered)
        {
            // Saved policies were checked when saved; one that no longer reads (never expected) is skipped, not fatal.
            if (!PolicyActions.Parse(policy.Action).TryGetValue(out var a, out _))
            {
                continue;
            }
            var name = policy.Name;
            effective = effective with
            {
                CaConnector = effective.CaConnector ?? Set(a.CaConnector, name),
                Template = effective.Template ?? Set(a.Template, name),
                AllowedTemplates = effective.AllowedTemplates ?? Set(a.AllowedTemplates, name),
                SubjectComponents = effective.SubjectComponents ?? Set(a.SubjectComponents, name),
                Attestation = effective.Attestation ?? Set(a.Attestation, name),
                MaxTokens = effective.MaxTokens ?? Set(a.MaxTokens, name),
                MaxActiveTokens = effective.MaxActiveTokens ?? Set(a.MaxActiveTokens, name),
                KeyRules = effective.KeyRules ?? Set(a.KeyRules, name),
                UserMayRevoke = effective.UserMayRevoke ?? Set(a.UserMayRevoke, name),
                PinRules = effective.PinRules ?? Set(a.PinRules, name),
                AllowUpload = effective.AllowUpload ?? Set(a.AllowUpload, name),
                UploadTrust = effective.UploadTrust ?? Set(a.UploadTrust, name),
            };
        }
        return effective;
    }

    private static PolicySetting<T>? Set<T>(T? value, string policy) where T : class =>
        value is null ? null : new PolicySetting<T>(value, policy);

    private static PolicySetting<T>? Set<T>(T? value, string policy) where T : struct =>
        value is { } v ? new PolicySetting<T>(v, policy) : null;
}

/// <summary>The comma-separated lists of a policy (realms, roles).</summary>
public static class PolicyLists
{
    public static IReadOnlyList<string> Split(string? list) =>
        (list ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
