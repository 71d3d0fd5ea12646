using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>A template as an admin writes it: names as in RFC 5280 (e.g. "digitalSignature,keyEncipherment", "clientAuth").</summary>
public sealed record TemplateRequest(string Name, int ValidityDays)
{
    public string? KeyUsage { get; init; }
    public string? ExtendedKeyUsage { get; init; }
    public bool CopySans { get; init; }
    /// <summary>"email" and/or "realm".</summary>
    public string? SubjectComponents { get; init; }
    /// <summary>Make this the CA's default template (used when a request names none).</summary>
    public bool MakeDefault { get; init; }
}

/// <summary>Creates, replaces and deletes the certificate templates of a CA.</summary>
public sealed class TemplateAdministration(IDbContextFactory<PortalDbContext> dbFactory, CaAdminAudit audit, TimeProvider clock)
{
    public async Task<Result<TemplateInfo>> SetAsync(Actor actor, string caName, TemplateRequest request, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ManageCaConnectors))
        {
            return await audit.RefuseAsync(actor, AuditActions.CaTemplate, caName, CaAdminAudit.NotAllowed("change templates"), ct);
        }
        var template = Validate(request);
        if (!template.TryGetValue(out var values, out var invalid))
        {
            return await audit.RefuseAsync(actor, AuditActions.CaTemplate, caName, invalid, ct);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ca = await db.CaConnectors.Include(c => c.Templates).SingleOrDefaultAsync(c => c.Name == caName, ct);
        if (ca is null)
        {
            return await audit.RefuseAsync(actor, AuditActions.CaTemplate, caName, PortalError.NotFound($"There is no CA connector named '{caName}'."), ct);
        }
        var existing = ca.Templates.FirstOrDefault(t => string.Equals(t.Name, request.Name, StringComparison.OrdinalIgnoreCase));
        if (existing is null)
        {
            existing = new CertificateTemplateRecord { Name = request.Name };
            ca.Templates.Add(existing);
        }
        existing.ValidityDays = values.ValidityDays;
        existing.KeyUsage = values.KeyUsage;
        existing.ExtendedKeyUsage = values.ExtendedKeyUsage;
        existing.CopySans = values.CopySans;
        existing.SubjectComponents = values.SubjectComponents;
        if (request.MakeDefault || ca.DefaultTemplate is null)
        {
            ca.DefaultTemplate = existing.Name;
        }
        ca.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Log.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaTemplate,
            $"Template '{existing.Name}' of CA '{caName}' set: {values.ValidityDays} days, key usage '{values.KeyUsage}', extended key usage '{values.ExtendedKeyUsage}', copy SANs {values.CopySans}, subject components '{values.SubjectComponents}'.") with { CaName = caName });
        await db.SaveChangesAsync(ct);
        return existing.ToInfo();
    }

    public async Task<Result> DeleteAsync(Actor actor, string caName, string templateName, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ManageCaConnectors))
        {
            return await audit.RefuseAsync(actor, AuditActions.CaTemplate, caName, CaAdminAudit.NotAllowed("delete templates"), ct);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ca = await db.CaConnectors.Include(c => c.Templates).SingleOrDefaultAsync(c => c.Name == caName, ct);
        var template = ca?.Templates.FirstOrDefault(t => string.Equals(t.Name, templateName, StringComparison.OrdinalIgnoreCase));
        if (ca is null || template is null)
        {
            return await audit.RefuseAsync(actor, AuditActions.CaTemplate, caName,
                PortalError.NotFound(ca is null ? $"There is no CA connector named '{caName}'." : $"There is no template '{templateName}' on the CA '{caName}'."), ct);
        }
        ca.Templates.Remove(template);
        db.CertificateTemplates.Remove(template);
        if (string.Equals(ca.DefaultTemplate, template.Name, StringComparison.OrdinalIgnoreCase))
        {
            ca.DefaultTemplate = null;
        }
        ca.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Log.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaTemplate, $"Template '{template.Name}' of CA '{caName}' deleted.") with { CaName = caName });
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }

    private static Result<CertificateTemplateRecord> Validate(TemplateRequest request)
    {
        if (CaRules.CheckName(request.Name, "template") is { } badName)
        {
            return badName;
        }
        if (CaRules.CheckValidityDays(request.ValidityDays, "days") is { } badDays)
        {
            return badDays;
        }
        var keyUsage = CertificateVocabulary.NormaliseKeyUsages(CertificateVocabulary.SplitList(request.KeyUsage));
        if (!keyUsage.TryGetValue(out var usages, out var error))
        {
            return error;
        }
        var extended = CertificateVocabulary.NormaliseExtendedKeyUsages(CertificateVocabulary.SplitList(request.ExtendedKeyUsage));
        if (!extended.TryGetValue(out var extendedUsages, out error))
        {
            return error;
        }
        var components = CertificateVocabulary.SplitList(request.SubjectComponents).Select(c => c.ToLowerInvariant()).Distinct().ToList();
        if (components.FirstOrDefault(c => !SubjectComposer.Components.Contains(c)) is { } unknown)
        {
            return PortalError.Validation($"'{unknown}' is not a subject component; use email and/or realm.");
        }
        return new CertificateTemplateRecord
        {
            ValidityDays = request.ValidityDays,
            KeyUsage = string.Join(",", usages),
            ExtendedKeyUsage = string.Join(",", extendedUsages),
            CopySans = request.CopySans,
            SubjectComponents = string.Join(",", components),
        };
    }
}
