using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>
/// The settings an update of an existing connector may give; null keeps the stored value (privacyIDEA's update
/// semantics: only what is given is replaced).
/// </summary>
public sealed record CaConnectorUpdate(string Name)
{
    /// <summary>When given, must be the connector's type: a type is never changed, since another type needs other settings.</summary>
    public string? Type { get; init; }
    public int? CrlValidityDays { get; init; }
    public int? CrlOverlapDays { get; init; }
    public string? DefaultTemplate { get; init; }
    /// <summary>An approval connector's signing CA.</summary>
    public string? Signer { get; init; }
}

/// <summary>
/// Updates an existing CA connector as privacyIDEA's <c>save_caconnector</c> does: the given settings replace the
/// stored ones, the others are kept, and a change of type is refused. Key and certificate of a local CA are not
/// settings: certificates already issued and their CRL depend on them, so a new key is a new CA.
/// </summary>
public sealed class UpdateCaConnectorCommand(
    IDbContextFactory<PortalDbContext> dbFactory, ICaConnectorRegistry registry, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public Task<Result<CaConnectorInfo>> ExecuteAsync(Actor actor, CaConnectorUpdate update, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("change CAs"),
            refusal => AuditEvent.Failed(AuditActions.CaUpdate, refusal.Message) with { CaName = update.Name },
            () => UpdateAsync(actor, update, ct), ct);

    private async Task<Result<CaConnectorInfo>> UpdateAsync(Actor actor, CaConnectorUpdate update, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.CaConnectors.Include(c => c.LocalCa).Include(c => c.Templates).SingleOrDefaultAsync(c => c.Name == update.Name, ct);
        if (record is null)
        {
            return CaErrors.NoSuchCa(update.Name);
        }
        if (update.Type is { } type && !string.Equals(type.Trim(), record.Type, StringComparison.OrdinalIgnoreCase))
        {
            return CaErrors.TypeChange(record.Name, record.Type, type);
        }

        var changes = new List<string>();
        if (update.CrlValidityDays is not null || update.CrlOverlapDays is not null)
        {
            if (record.LocalCa is not { } local)
            {
                return CaErrors.NotASetting(record, "crl_validity_days/crl_overlap_days");
            }
            var validity = update.CrlValidityDays ?? local.CrlValidityDays;
            var overlap = update.CrlOverlapDays ?? local.CrlOverlapDays;
            if (CaRules.CheckCrlDays(validity, overlap) is { } badDays)
            {
                return badDays;
            }
            changes.Add($"CRL valid {local.CrlValidityDays}→{validity} days, overlap {local.CrlOverlapDays}→{overlap} days");
            (local.CrlValidityDays, local.CrlOverlapDays) = (validity, overlap);
        }
        if (update.Signer is { } signerName)
        {
            if (record.Type != ApprovalCaConnector.TypeName)
            {
                return CaErrors.NotASetting(record, "signer");
            }
            var signer = await db.CaConnectors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == signerName.Trim(), ct);
            if (signer is null || signer.Type != LocalCaConnector.TypeName)
            {
                return PortalError.Validation(signer is null
                    ? $"signer: there is no CA connector named '{signerName}'."
                    : $"signer: '{signerName}' is a CA of type '{signer.Type}'; only a local CA can sign approved requests.");
            }
            changes.Add($"signer {ApprovalCaSettings.Read(record).Signer}→{signer.Name}");
            record.SettingsJson = new ApprovalCaSettings(signer.Name).Write();
        }
        if (update.DefaultTemplate is { } template)
        {
            if (record.Templates.All(t => t.Name != template.Trim()))
            {
                return PortalError.Validation($"default_template: CA '{record.Name}' has no template '{template}'; it has {string.Join(", ", record.Templates.Select(t => t.Name))}.");
            }
            changes.Add($"default template {record.DefaultTemplate ?? "(none)"}→{template.Trim()}");
            record.DefaultTemplate = template.Trim();
        }

        record.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaUpdate,
            changes.Count == 0 ? $"CA '{record.Name}' saved unchanged." : $"Changed CA '{record.Name}': {string.Join("; ", changes)}.") with { CaName = record.Name });
        await db.SaveChangesAsync(ct);
        return (await registry.ListAsync(ct)).Single(c => c.Name == record.Name);
    }
}
