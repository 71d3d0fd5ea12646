using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Policies;

/// <summary>
/// Refuses a policy that could never be obeyed: a forced CA that does not exist, a template that its CA does not
/// have, a forced template outside the policy's own allowed list. Checked when the policy is saved, so that
/// enrolments do not discover it one refusal at a time.
/// </summary>
internal static class PolicyConsistency
{
    public static async Task<PortalError?> CheckAsync(PortalDbContext db, PolicyActions actions, CancellationToken ct)
    {
        if (actions.CaConnector is { } caName && !await db.CaConnectors.AnyAsync(c => c.Name == caName, ct))
        {
            return PortalError.Validation($"{PolicyActionKeys.CaConnector}: there is no CA connector named '{caName}'.").About(PolicyActionKeys.CaConnector);
        }

        var named = new List<string>();
        if (actions.Template is { } template)
        {
            named.Add(template);
        }
        named.AddRange(actions.AllowedTemplates ?? []);
        if (named.Count > 0)
        {
            var templates = db.CertificateTemplates.AsNoTracking();
            if (actions.CaConnector is { } forced)
            {
                templates = templates.Where(t => t.CaConnector.Name == forced);
            }
            var known = await templates.Select(t => t.Name).Distinct().ToListAsync(ct);
            var missing = named.FirstOrDefault(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase));
            if (missing is not null)
            {
                return PortalError.Validation(actions.CaConnector is { } ca
                    ? $"The template '{missing}' is not on the CA '{ca}'" + (known.Count == 0 ? ", which has none." : $" (it has {string.Join(", ", known.Select(k => $"'{k}'"))}).")
                    : $"No CA has a template named '{missing}'.")
                    .About(string.Equals(missing, actions.Template, StringComparison.OrdinalIgnoreCase) ? PolicyActionKeys.Template : PolicyActionKeys.AllowedTemplates);
            }
        }

        if (actions is { Template: { } single, AllowedTemplates: { } allowed } && !allowed.Contains(single, StringComparer.OrdinalIgnoreCase))
        {
            return PortalError.Validation($"{PolicyActionKeys.Template} '{single}' is not among the policy's own {PolicyActionKeys.AllowedTemplates} ({string.Join(" ", allowed)}).")
                .About(PolicyActionKeys.Template);
        }
        return null;
    }
}
