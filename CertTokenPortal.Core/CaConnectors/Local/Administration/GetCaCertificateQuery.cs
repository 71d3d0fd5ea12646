using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Local.Administration;

/// <summary>A CA certificate and the certificates above it (PEM), and facts about its key.</summary>
public sealed record CaCertificateInfo(string CaName, string CertificatePem, string ChainPem, string Subject, DateTime NotAfter, string KeyDescription);

/// <summary>Reads a local CA's certificate and chain, for the admin page and the API (secrets never leave).</summary>
public sealed class GetCaCertificateQuery(IDbContextFactory<PortalDbContext> dbFactory, UseCaseGuard guard)
{
    public Task<Result<CaCertificateInfo>> ExecuteAsync(Actor actor, string caName, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewCaConnectors, CaErrors.NotAllowedToView, refusal: null, async () =>
        {
            var info = await FindAsync(dbFactory, caName, ct);
            return info is null ? PortalError.NotFound($"There is no local CA named '{caName}'.") : Result<CaCertificateInfo>.Success(info);
        }, ct);

    /// <summary>Without an actor: for the anonymous publication of CA certificates.</summary>
    internal static async Task<CaCertificateInfo?> FindAsync(IDbContextFactory<PortalDbContext> dbFactory, string caName, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LocalCas.AsNoTracking()
            .Where(l => l.CaConnector.Name == caName)
            .Select(l => new CaCertificateInfo(caName, l.CertificatePem, l.ChainPem, l.Subject, l.NotAfter, l.KeyDescription))
            .SingleOrDefaultAsync(ct);
    }
}
