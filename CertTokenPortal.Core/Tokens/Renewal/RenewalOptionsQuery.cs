using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>What the renew dialog shows before anything is sent: the window, the template's rule, the modes offered.</summary>
public sealed record RenewalOptions(
    string Serial,
    DateTime? NotAfter,
    DateTime? WindowOpensAt,
    bool WindowApplies,
    bool OpenNow,
    string Rules,
    bool SameKeyAllowed,
    bool NewKeyAllowed,
    string? Problem);

/// <summary>
/// Reads a token's renewal options for the dialog. The command decides again when the renewal is sent: this only
/// saves the person a refused submit.
/// </summary>
public sealed class RenewalOptionsQuery(IDbContextFactory<PortalDbContext> dbFactory, ICaConnectorRegistry caConnectors, TimeProvider clock)
{
    public async Task<Result<RenewalOptions>> ExecuteAsync(Actor actor, string serial, CancellationToken ct = default)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return TokenAccess.NotFound(serial ?? "");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == serial, ct);
        if (token is null || TokenAccess.CheckView(actor, token) is not null)
        {
            return TokenAccess.NotFound(serial);
        }
        var pending = await PendingRenewalDecision.FindAsync(db, token.Id, ct);
        var problem = RenewalChecks.CheckToken(token, RenewalMode.NewCsr, pending)?.Message;
        var template = await db.CertificateTemplates.AsNoTracking()
            .FirstOrDefaultAsync(t => t.CaConnector.Name == token.CaName && t.Name == token.TemplateName, ct);
        var windowDays = template?.RenewalWindowDays ?? CertificateTemplateRecord.DefaultRenewalWindowDays;
        var opens = token.NotAfter is { } notAfter ? RenewalWindow.OpensAt(notAfter, windowDays) : (DateTime?)null;
        var applies = RenewalWindow.Applies(actor);
        var approvalCa = token.CaName is not null && (await caConnectors.GetAsync(token.CaName, ct)).TryGetValue(out var ca, out _)
            && ca is IManualApproval or IPendingRequestSource;
        return new RenewalOptions(
            token.Serial, token.NotAfter, opens, applies,
            !applies || opens is null || clock.GetUtcNow().UtcDateTime >= opens,
            template is null ? "" : TemplateRenewalRules.Describe(template),
            SameKeyAllowed: template?.AllowSameKeyRenewal == true && !approvalCa,
            NewKeyAllowed: !approvalCa,
            problem ?? (template is null && token.CaName is not null ? RenewalErrors.TemplateGone(serial, token.CaName, token.TemplateName).Message : null));
    }
}
