using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// The CA and template an enrolment goes to, as the owner's policy chooses them, and whether the actor may use that
/// template: one sequence for <see cref="EnrolTokenCommand"/> and <see cref="EnrolmentPreviewQuery"/>, so the preview
/// cannot drift from what enrolment decides.
/// </summary>
internal static class EnrolmentCaChoice
{
    /// <summary>
    /// The chosen CA and template (both null when none could be chosen) and the first refusal. A staff-only template
    /// the actor may not use is refused with CA and template still given, so the preview can show where it would go.
    /// </summary>
    public static async Task<(ICaConnector? Ca, string? Template, PortalError? Refusal)> ChooseAsync(PortalDbContext db,
        ICaConnectorRegistry caConnectors, Actor actor, EffectivePolicy policy, string? caName, string? templateName, CancellationToken ct)
    {
        if (!EnrolmentPolicyRules.ChooseCa(policy, caName).TryGetValue(out var chosenCa, out var caChoiceError))
        {
            return (null, null, caChoiceError);
        }
        if (!(await caConnectors.GetAsync(chosenCa, ct)).TryGetValue(out var ca, out var caError))
        {
            return (null, null, PortalError.Validation(caError.Message));
        }
        if (!EnrolmentPolicyRules.ChooseTemplate(policy, ca.Name, templateName, ca.DefaultTemplate).TryGetValue(out var template, out var templateError))
        {
            return (null, null, templateError);
        }
        var staffOnly = await IsStaffOnlyAsync(db, ca, template, ct) ? EnrolmentPolicyRules.CheckStaffOnly(actor, policy, template) : null;
        return (ca, template, staffOnly);
    }

    /// <summary>
    /// From the templates the connector was built with (kept in memory while the configuration stamp holds, so no
    /// query), matched as the CA matches them when it issues; from the database for a kind that does not tell.
    /// </summary>
    private static async Task<bool> IsStaffOnlyAsync(PortalDbContext db, ICaConnector ca, string templateName, CancellationToken ct) =>
        ca is ICaTemplateCatalog catalog
            ? catalog.IsStaffOnly(templateName)
            : await db.CertificateTemplates.AsNoTracking()
                .AnyAsync(t => t.CaConnector.Name == ca.Name && t.Name == templateName && t.StaffOnly, ct);
}
