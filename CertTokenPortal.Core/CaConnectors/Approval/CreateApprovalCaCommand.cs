using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.CaConnectors.Local.Administration;

namespace CertTokenPortal.Core.CaConnectors.Approval;

/// <summary>
/// Creates an approval-gated CA connector in front of a local CA (<c>signer</c>). It starts with a copy of the
/// signer's templates and default template, which admins may then change like any connector's.
/// </summary>
public sealed class CreateApprovalCaCommand(
    IDbContextFactory<PortalDbContext> dbFactory, ICaConnectorRegistry registry, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public Task<Result<CaConnectorInfo>> ExecuteAsync(Actor actor, string name, string? signerName, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("create CAs"),
            refusal => AuditEvent.Failed(AuditActions.CaCreate, refusal.Message) with { CaName = name },
            () => ExecuteCheckedAsync(actor, name, signerName, ct), ct);

    private async Task<Result<CaConnectorInfo>> ExecuteCheckedAsync(Actor actor, string name, string? signerName, CancellationToken ct)
    {
        if (CaRules.CheckName(name) is { } badName)
        {
            return badName;
        }
        if (string.IsNullOrWhiteSpace(signerName))
        {
            return PortalError.Validation("An approval CA needs the local CA that signs approved requests ('signer').").About("signer");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var signer = await db.CaConnectors.AsNoTracking().Include(c => c.Templates)
            .SingleOrDefaultAsync(c => c.Name == signerName.Trim(), ct);
        if (signer is null || signer.Type != LocalCaConnector.TypeName)
        {
            return PortalError.Validation(signer is null
                ? $"signer: there is no CA connector named '{signerName}'."
                : $"signer: '{signerName}' is a CA of type '{signer.Type}'; only a local CA can sign approved requests.").About("signer");
        }
        if (await db.CaConnectors.AnyAsync(c => c.Name == name, ct))
        {
            return LocalCaRecordFactory.NameTaken(name);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.CaConnectors.Add(new CaConnectorRecord
        {
            Name = name,
            Type = ApprovalCaConnector.TypeName,
            DefaultTemplate = signer.DefaultTemplate,
            SettingsJson = new ApprovalCaSettings(signer.Name).Write(),
            CreatedAt = now,
            UpdatedAt = now,
            Templates = signer.Templates.Select(t => new CertificateTemplateRecord
            {
                Name = t.Name,
                ValidityDays = t.ValidityDays,
                KeyUsage = t.KeyUsage,
                ExtendedKeyUsage = t.ExtendedKeyUsage,
                CopySans = t.CopySans,
                SubjectComponents = t.SubjectComponents,
                SubjectSource = t.SubjectSource,
                AllowedRdns = t.AllowedRdns,
                AllowedSanTypes = t.AllowedSanTypes,
                DnsPatterns = t.DnsPatterns,
                EmailPatterns = t.EmailPatterns,
                MaxSans = t.MaxSans,
                StaffOnly = t.StaffOnly,
            }).ToList(),
        });
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaCreate,
            $"Created approval CA '{name}': requests wait for an admin, then '{signer.Name}' signs them ({signer.Templates.Count} template(s) copied).") with { CaName = name });
        // The unique name index decides when someone created the name since the check above.
        if (await LocalCaRecordFactory.SaveNewAsync(db, dbFactory, name, ct) is { } taken)
        {
            return taken;
        }
        return (await registry.ListAsync(ct)).Single(c => c.Name == name);
    }
}
