using CertTokenPortal.Core.Audit;
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

    /// <summary><c>owner</c> (default: names from the account) or <c>csr</c> (names from the request within the rules below).</summary>
    public string? SubjectSource { get; init; }
    /// <summary>With <c>csr</c>: subject attribute types a request may carry, e.g. "CN,O,OU,C".</summary>
    public string? AllowedRdns { get; init; }
    /// <summary>SAN types a request may carry: DNS, IP, email, UPN, URI. Absent: DNS, email and UPN when <see cref="CopySans"/>.</summary>
    public string? SanTypes { get; init; }
    /// <summary>Allowed DNS names, e.g. "*.corp.example"; empty: any.</summary>
    public string? DnsPatterns { get; init; }
    /// <summary>Allowed email addresses, e.g. "*@corp.example"; empty: any.</summary>
    public string? EmailPatterns { get; init; }
    public int MaxSans { get; init; } = Tokens.Enrolment.TemplateNameRules.DefaultMaxSans;
    /// <summary>Only staff may choose it; end users only when a policy names it.</summary>
    public bool StaffOnly { get; init; }
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
        existing.SubjectSource = values.SubjectSource;
        existing.AllowedRdns = values.AllowedRdns;
        existing.AllowedSanTypes = values.AllowedSanTypes;
        existing.DnsPatterns = values.DnsPatterns;
        existing.EmailPatterns = values.EmailPatterns;
        existing.MaxSans = values.MaxSans;
        existing.StaffOnly = values.StaffOnly;
        if (request.MakeDefault || ca.DefaultTemplate is null)
        {
            ca.DefaultTemplate = existing.Name;
        }
        ca.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Log.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaTemplate,
            $"Template '{existing.Name}' of CA '{caName}' set: {values.ValidityDays} days, key usage '{values.KeyUsage}', extended key usage '{values.ExtendedKeyUsage}', subject components '{values.SubjectComponents}', {Tokens.Enrolment.TemplateNameRules.From(values).Describe()}{(values.StaffOnly ? ", staff only" : "")}.") with { CaName = caName });
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
        return Tokens.Enrolment.TemplateNameRules.Validate(new CertificateTemplateRecord
        {
            Name = request.Name,
            ValidityDays = request.ValidityDays,
            KeyUsage = string.Join(",", usages),
            ExtendedKeyUsage = string.Join(",", extendedUsages),
            SubjectComponents = string.Join(",", components),
            SubjectSource = request.SubjectSource ?? "",
            AllowedRdns = request.AllowedRdns ?? (request.SubjectSource?.Trim() == Tokens.Enrolment.SubjectSources.Csr ? "CN,O,OU,L,ST,C" : ""),
            // copy_san alone (as before these rules) means the kinds it always copied.
            AllowedSanTypes = request.SanTypes ?? (request.CopySans ? "DNS,email,UPN" : ""),
            DnsPatterns = request.DnsPatterns ?? "",
            EmailPatterns = request.EmailPatterns ?? "",
            MaxSans = request.MaxSans,
            StaffOnly = request.StaffOnly,
        });
    }
}
