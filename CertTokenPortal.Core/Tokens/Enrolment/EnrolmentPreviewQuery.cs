using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// What an enrolment would meet, before it is submitted: the owner's tokens against their quotas, the CA that would
/// issue (and whether a person must approve first) and the first policy that would refuse it. It walks the same
/// decisions as <see cref="EnrolTokenCommand"/> (owner, rank, effective policy, CA, template, staff-only template,
/// upload, key, PIN, quota), writing nothing, so the wizard can say "alice holds 2 of 3 allowed" and keep the Enrol
/// button off with the reason. Enrolment itself decides again: the preview is advice, not a reservation.
/// </summary>
public sealed class EnrolmentPreviewQuery(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICaConnectorRegistry caConnectors,
    EnrolmentSourceReader sources,
    EffectivePolicyResolver policies,
    UploadedCertificateCheck uploads,
    Users.DirectoryUsers.DirectoryOwners directoryOwners)
{
    public async Task<Result<EnrolmentPreview>> ExecuteAsync(Actor actor, EnrolmentRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!(await EnrolmentOwner.ResolveAsync(db, directoryOwners, actor, request.UserName, request.Realm, ct)).TryGetValue(out var owner, out var ownerError))
        {
            return ownerError;
        }
        var policy = await policies.ResolveAsync(owner.Role, owner.Realm, ct);
        var count = await OwnerQuota.CountAsync(db, owner, ct);
        var preview = new EnrolmentPreview(owner.UserName, owner.Realm, count.Held, policy.MaxTokens, count.Active, policy.MaxActiveTokens)
        {
            PolicyHints = policy.Explain(),
            RequiredCa = policy.CaConnector?.Value,
        };
        if (EnrolmentOwner.CheckRank(actor, owner) is { } aboveActor)
        {
            return preview with { Refusal = aboveActor };
        }
        if (!sources.Read(request).TryGetValue(out var plan, out var planError))
        {
            return preview with { Refusal = planError };
        }
        using (plan.Certificate)
        {
            var (route, refusal) = await RouteAsync(db, actor, policy, plan, request, ct);
            refusal ??= EnrolmentPolicyRules.CheckKey(policy, plan) ?? EnrolmentPolicyRules.CheckPin(policy, plan, request.Pin);
            refusal ??= await OwnerQuota.CheckAsync(db, owner, policy, ct);
            return preview with { Route = route, Refusal = refusal };
        }
    }

    /// <summary>The CA and template that would issue, as enrolment chooses them; for an upload, whether it may be uploaded.</summary>
    private async Task<(EnrolmentRoute? Route, PortalError? Refusal)> RouteAsync(PortalDbContext db, Actor actor, EffectivePolicy policy,
        EnrolmentPlan plan, EnrolmentRequest request, CancellationToken ct)
    {
        if (plan.Mode == EnrolmentModes.Certificate)
        {
            // The same verdict enrolment acts on: an upload under an approval policy becomes a pending token, so the
            // preview says so; any other accepted upload is tracked at once and goes to no CA (no route).
            if (!(await uploads.CheckAsync(plan.Certificate!, policy, ct)).TryGetValue(out var verdict, out var uploadError))
            {
                return (null, uploadError);
            }
            return verdict is { ApprovalPolicy: { } held, ApprovalCa: { } approvalCa }
                ? (new EnrolmentRoute(approvalCa, null, NeedsApproval: true) { ApprovalPolicy = held }, null)
                : (null, null);
        }
        var (ca, template, refusal) = await EnrolmentCaChoice.ChooseAsync(db, caConnectors, actor, policy, request.CaName, request.TemplateName, ct);
        return (ca is null ? null : new EnrolmentRoute(ca.Name, template, ca is IManualApproval), refusal);
    }
}

/// <summary>
/// The CA and template an enrolment would go to; <see cref="NeedsApproval"/>: it waits for a person's approval first.
/// An upload has a route only when it waits: then <see cref="TemplateName"/> is null (no CA signs anything) and
/// <see cref="ApprovalPolicy"/> names the policy that holds it for the approvers of <see cref="CaName"/>.
/// </summary>
public sealed record EnrolmentRoute(string CaName, string? TemplateName, bool NeedsApproval)
{
    public string? ApprovalPolicy { get; init; }
}

/// <summary>
/// The owner's standing before an enrolment: tokens held (enrolled or pending) and active, each against its quota
/// (null: no policy limits it), the route, and <see cref="Refusal"/>, the first policy decision that would refuse it.
/// </summary>
public sealed record EnrolmentPreview(string Owner, string OwnerRealm, int Held, PolicySetting<int>? MaxTokens, int Active, PolicySetting<int>? MaxActiveTokens)
{
    public EnrolmentRoute? Route { get; init; }

    public PortalError? Refusal { get; init; }

    /// <summary>The CA a policy requires for this owner, if one does; the wizard offers to switch to it.</summary>
    public string? RequiredCa { get; init; }

    /// <summary>One sentence per policy action in force (see <see cref="EffectivePolicy.Explain"/>).</summary>
    public IReadOnlyList<string> PolicyHints { get; init; } = [];

    /// <summary>E.g. "alice holds 2 of 3 allowed", or "alice holds 2; no limit applies".</summary>
    public string HoldingText => MaxTokens is { } max
        ? $"{Owner} holds {Held} of {max.Value} allowed (policy '{max.PolicyName}')"
        : $"{Owner} holds {Held}; no limit applies";

    /// <summary>E.g. "1 of 2 active allowed"; null without an active-token quota.</summary>
    public string? ActiveText => MaxActiveTokens is { } max ? $"{Active} of {max.Value} active allowed (policy '{max.PolicyName}')" : null;
}
