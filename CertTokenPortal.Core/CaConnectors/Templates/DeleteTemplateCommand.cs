using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Templates;

/// <summary>Deletes a certificate template of a CA (admins only); a default template stops being the default.</summary>
public sealed class DeleteTemplateCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public Task<Result> ExecuteAsync(Actor actor, string caName, string templateName, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("delete templates"),
            refusal => AuditEvent.Failed(AuditActions.CaTemplate, refusal.Message) with { CaName = caName },
            () => ExecuteCheckedAsync(actor, caName, templateName, ct), ct);

    private async Task<Result> ExecuteCheckedAsync(Actor actor, string caName, string templateName, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ca = await db.CaConnectors.Include(c => c.Templates).SingleOrDefaultAsync(c => c.Name == caName, ct);
        var template = ca?.Templates.FirstOrDefault(t => string.Equals(t.Name, templateName, StringComparison.OrdinalIgnoreCase));
        if (ca is null || template is null)
        {
            return PortalError.NotFound(ca is null ? $"There is no CA connector named '{caName}'." : $"There is no template '{templateName}' on the CA '{caName}'.");
        }
        ca.Templates.Remove(template);
        db.CertificateTemplates.Remove(template);
        if (string.Equals(ca.DefaultTemplate, template.Name, StringComparison.OrdinalIgnoreCase))
        {
            ca.DefaultTemplate = null;
        }
        ca.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaTemplate, $"Template '{template.Name}' of CA '{caName}' deleted.") with { CaName = caName });
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }
}
