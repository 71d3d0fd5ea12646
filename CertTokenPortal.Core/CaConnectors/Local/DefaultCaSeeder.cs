using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Startup;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CertTokenPortal.Core.CaConnectors.Local.Administration;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>
/// On first start, creates the local root CA <c>Portal:DefaultCa:Name</c> with the templates <c>user</c> (its default;
/// names from the owner's account) and <c>server</c> (names from the request; staff only unless a policy allows it), and publishes its first CRL. Idempotent; when two instances start at once, the unique name index
/// lets one win and the other treats the duplicate as done.
/// </summary>
internal sealed partial class DefaultCaSeeder(
    IDbContextFactory<PortalDbContext> dbFactory,
    LocalCaRecordFactory records,
    LocalCrlPublisher crls,
    IOptions<DefaultCaOptions> options,
    ILogger<DefaultCaSeeder> logger) : IStartupTask
{
    public int Order => 20;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var existing = await FindAsync(settings.Name, cancellationToken);
        if (existing is not null)
        {
            if (existing.Value.HasCrl is false)
            {
                await crls.PublishAsync(existing.Value.Id, cancellationToken); // a first start that stopped half-way
            }
            return;
        }

        var invalid = CaRules.CheckCrlDays(settings.CrlValidityDays, settings.CrlOverlapDays);
        var key = CaRules.ParseCaKey(settings.KeyType, settings.KeySize, settings.Curve);
        var subject = CaRules.ParseSubject(settings.Subject);
        if ((invalid ?? key.Error ?? subject.Error) is { } error)
        {
            throw new PortalStartupException($"Portal:DefaultCa is invalid: {error.Message}");
        }

        var (certificate, caKey) = records.CreateRoot(subject.Value, key.Value, settings.ValidityDays);
        using (caKey)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var record = records.Add(db, settings.Name, certificate, [], caKey, settings.CrlValidityDays, settings.CrlOverlapDays);
            record.DefaultTemplate = "user";
            record.Templates.Add(new CertificateTemplateRecord
            {
                Name = "user", ValidityDays = 365, KeyUsage = "digitalSignature,keyEncipherment",
                ExtendedKeyUsage = "clientAuth,emailProtection", CopySans = false, SubjectComponents = "",
                SubjectSource = SubjectSources.Owner,
            });
            record.Templates.Add(new CertificateTemplateRecord
            {
                Name = "server", ValidityDays = 730, KeyUsage = "digitalSignature,keyEncipherment",
                ExtendedKeyUsage = "serverAuth", CopySans = true, SubjectComponents = "",
                SubjectSource = SubjectSources.Csr, AllowedRdns = "CN,O,OU,L,ST,C", AllowedSanTypes = "DNS,IP",
                MaxSans = TemplateNameRules.DefaultMaxSans, StaffOnly = true,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                if (await FindAsync(settings.Name, cancellationToken) is null)
                {
                    throw;
                }
                return; // another instance starting at the same moment created it (and publishes its CRL)
            }
            await crls.PublishAsync(record.Id, cancellationToken);
            LogCreated(logger, settings.Name, certificate.Subject, record.LocalCa!.KeyDescription);
        }
    }

    private async Task<(int Id, bool HasCrl)?> FindAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.LocalCas.AsNoTracking().Where(l => l.CaConnector.Name == name)
            .Select(l => new { l.CaConnectorId, HasCrl = l.CrlNumber > 0 }).SingleOrDefaultAsync(ct);
        if (found is not null)
        {
            return (found.CaConnectorId, found.HasCrl);
        }
        // A connector of another type may hold the name: leave it alone.
        return await db.CaConnectors.AnyAsync(c => c.Name == name, ct) ? (0, true) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Default CA '{Name}' created: {Subject}, {Key}, with templates 'user' and 'server'.")]
    private static partial void LogCreated(ILogger logger, string name, string subject, string key);
}
