using CertTokenPortal.Core.Attestation;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>Everything a renewal needs once it is decided: nothing is produced or written yet.</summary>
public sealed record RenewalDecision(
    CertificateToken Token,
    CertificateOwner Owner,
    EffectivePolicy Policy,
    ICaConnector Ca,
    CertificateTemplateRecord Template,
    EnrolmentPlan Plan,
    IReadOnlyList<string> SubjectComponents,
    AttestationReport? Attestation);

/// <summary>
/// The decide step of a renewal, the enrolment's rules applied to an existing token: its state, the window, the
/// owner's policy (CA, template, staff-only, key, PIN, attestation), and the same-key rules. Writes nothing.
/// </summary>
public sealed class RenewalDecider(
    ICaConnectorRegistry caConnectors,
    EnrolmentSourceReader sources,
    EffectivePolicyResolver policies,
    EnrolmentAttestation attestation,
    TimeProvider clock,
    Users.DirectoryUsers.DirectoryOwners directoryOwners)
{
    public async Task<Result<RenewalDecision>> DecideAsync(PortalDbContext db, Actor actor, RenewalRequest request, CancellationToken ct)
    {
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == request.Serial, ct);
        if (token is null || TokenAccess.CheckView(actor, token) is not null)
        {
            return TokenAccess.NotFound(request.Serial); // someone else's token is not there for an end user
        }
        var pending = await db.TokenCertificates.AsNoTracking()
            .FirstOrDefaultAsync(c => c.TokenId == token.Id && c.State == TokenCertificateStates.Pending, ct);
        if (RenewalChecks.CheckToken(token, request.Mode, pending) is { } tokenError)
        {
            return tokenError;
        }
        if (!(await EnrolmentOwner.ResolveAsync(db, directoryOwners, actor, token.OwnerUserName, token.OwnerRealm, ct)).TryGetValue(out var owner, out var ownerError))
        {
            return ownerError;
        }
        if (EnrolmentOwner.CheckRank(actor, owner) is { } aboveActor)
        {
            return aboveActor;
        }
        var policy = await policies.ResolveAsync(owner.Role, owner.Realm, ct);
        if (!EnrolmentPolicyRules.ChooseCa(policy, token.CaName).TryGetValue(out var caName, out var caChoiceError))
        {
            return caChoiceError;
        }
        if (!(await caConnectors.GetAsync(caName, ct)).TryGetValue(out var ca, out var caError))
        {
            return PortalError.Conflict($"Token {token.Serial} cannot be renewed: {caError.Message}");
        }
        if (ca is IPendingRequestSource and not IManualApproval)
        {
            return RenewalErrors.DecidesLater(token.Serial, ca.Name);
        }
        if (!EnrolmentPolicyRules.ChooseTemplate(policy, ca.Name, token.TemplateName, ca.DefaultTemplate).TryGetValue(out var templateName, out var templateError))
        {
            return templateError;
        }
        var template = await db.CertificateTemplates.AsNoTracking()
            .FirstOrDefaultAsync(t => t.CaConnector.Name == ca.Name && t.Name == templateName, ct);
        if (template is null)
        {
            return RenewalErrors.TemplateGone(token.Serial, ca.Name, templateName);
        }
        if (template.StaffOnly && EnrolmentPolicyRules.CheckStaffOnly(actor, policy, templateName) is { } staffOnly)
        {
            return staffOnly;
        }
        if (RenewalWindow.Check(actor, token, template.RenewalWindowDays, clock.GetUtcNow().UtcDateTime) is { } outside)
        {
            return outside;
        }
        if (!ReadPlan(request, token, template, ca).TryGetValue(out var plan, out var planError))
        {
            return planError;
        }
        if (!SubjectComponentNames.Read(request.SubjectComponents).TryGetValue(out var requested, out var componentError))
        {
            return componentError;
        }
        if ((EnrolmentPolicyRules.CheckKey(policy, plan) ?? EnrolmentPolicyRules.CheckPin(policy, plan, request.Pin)) is { } refused)
        {
            return refused;
        }
        // A same-key renewal re-certifies a key that was attested (or not) at enrolment; a new key is checked now.
        AttestationReport? attested = null;
        if (request.Mode != RenewalMode.SameKey &&
            !(await attestation.CheckAsync(policy, plan.Mode, plan.Csr, request.Attestation, ct)).TryGetValue(out attested, out var attestationError))
        {
            return attestationError;
        }
        return new RenewalDecision(token, owner, policy, ca, template, plan,
            EnrolmentPolicyRules.SubjectComponents(policy, plan, requested), attested);
    }

    private Result<EnrolmentPlan> ReadPlan(RenewalRequest request, CertificateToken token, CertificateTemplateRecord template, ICaConnector ca)
    {
        if (request.Mode != RenewalMode.SameKey)
        {
            return sources.Read(request.AsEnrolment());
        }
        if (!template.AllowSameKeyRenewal)
        {
            return RenewalErrors.SameKeyForbidden(token.Serial, template.Name);
        }
        if (ca is IManualApproval or IPendingRequestSource)
        {
            return RenewalErrors.SameKeyNeedsCsr(token.Serial, ca.Name);
        }
        var fromOwner = TemplateNameRules.From(template).FromOwner;
        return new EnrolmentPlan(EnrolmentModes.Request, SameKeyRequest.From(token.CertificatePem!, token.OwnerUserName, fromOwner), null, null);
    }
}
