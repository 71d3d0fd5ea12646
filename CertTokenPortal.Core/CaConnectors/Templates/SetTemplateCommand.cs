using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Templates;

/// <summary>Creates or replaces a certificate template of a CA (admins only).</summary>
public sealed class SetTemplateCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public Task<Result<TemplateInfo>> ExecuteAsync(Actor actor, string caName, TemplateRequest request, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("change templates"),
            refusal => AuditEvent.Failed(AuditActions.CaTemplate, refusal.Message) with { CaName = caName },
            () => ExecuteCheckedAsync(actor, caName, request, ct), ct);

    private async Task<Result<TemplateInfo>> ExecuteCheckedAsync(Actor actor, string caName, TemplateRequest request, CancellationToken ct)
    {
        var template = Validate(request);
        if (!template.TryGetValue(out var values, out var invalid))
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ca = await db.CaConnectors.Include(c => c.Templates).SingleOrDefaultAsync(c => c.Name == caName, ct);
        if (ca is null)
        {
            return PortalError.NotFound($"There is no CA connector named '{caName}'.");
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
        Tokens.Renewal.TemplateRenewalRules.Apply(request, existing);
        existing.SubjectCommonName = values.SubjectCommonName;
        existing.OwnerEmailSan = values.OwnerEmailSan;
        if (request.MakeDefault || ca.DefaultTemplate is null)
        {
            ca.DefaultTemplate = existing.Name;
        }
        ca.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaTemplate,
            $"Template '{existing.Name}' of CA '{caName}' set: valid {values.ValidityDays} {(values.ValidityDays == 1 ? "day" : "days")}; key usage {Listed(values.KeyUsage)}; extended key usage {Listed(values.ExtendedKeyUsage)}; subject components {Listed(values.SubjectComponents)}; {Tokens.Enrolment.TemplateNameRules.From(values).Describe()}{(values.StaffOnly ? "; staff only" : "")}; {Tokens.Renewal.TemplateRenewalRules.Describe(existing)}.") with { CaName = caName });
        await db.SaveChangesAsync(ct);
        return existing.ToInfo();
    }

    // The audit log is read by people: an empty list reads "none", not ''.
    private static string Listed(string? values) => string.IsNullOrWhiteSpace(values) ? "none" : values.Trim();

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
        if (Tokens.Renewal.TemplateRenewalRules.Check(request) is { } badRenewal)
        {
            return badRenewal;
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
            SubjectCommonName = request.SubjectCommonName ?? "",
            OwnerEmailSan = request.OwnerEmailSan,
        });
    }
}
