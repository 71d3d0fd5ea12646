using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Local.Administration;

/// <summary>What a new subordinate CA is made of: a root CA's fields plus the local CA that signs it.</summary>
public sealed record NewSubordinateCaRequest(string Name, string Subject, string Parent) : NewLocalCaRequest(Name, Subject)
{
    public override int ValidityDays { get; init; } = 1825;
}

/// <summary>
/// Creates a local CA below another local CA: a fresh key (encrypted at rest), a certificate signed by the parent
/// (entered in the parent's ledger, so the parent's CRL and OCSP can revoke it), the chain up to the root, and the
/// new CA's first CRL. Everything is stored in one transaction.
/// </summary>
public sealed class CreateLocalSubordinateCaCommand(
    IDbContextFactory<PortalDbContext> dbFactory,
    LocalCaRecordFactory records,
    LocalCaServices local,
    ICaConnectorRegistry registry,
    IAuditLog audit, UseCaseGuard guard)
{
    public Task<Result<CaConnectorInfo>> ExecuteAsync(Actor actor, NewSubordinateCaRequest request, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("create CAs"),
            refusal => AuditEvent.Failed(AuditActions.CaCreate, refusal.Message) with { CaName = request.Name },
            () => ExecuteCheckedAsync(actor, request, ct), ct);

    private async Task<Result<CaConnectorInfo>> ExecuteCheckedAsync(Actor actor, NewSubordinateCaRequest request, CancellationToken ct)
    {
        if (!request.Check().TryGetValue(out var parts, out var invalid))
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var parentName = request.Parent?.Trim() ?? "";
        var parent = await db.CaConnectors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == parentName, ct);
        if (parent is null)
        {
            return CaErrors.NoSuchParent(parentName);
        }
        if (parent.Type != LocalCaConnector.TypeName)
        {
            return CaErrors.ParentNotLocal(parent.Name, parent.Type);
        }
        var signer = await local.Keys.GetSignerAsync(parent.Id, parent.UpdatedAt, ct);
        if (CheckParent(parent.Name, signer.Certificate, request.ValidityDays) is { } refused)
        {
            return refused;
        }
        if (await LocalCaRecordFactory.NameTakenAsync(dbFactory, request.Name, ct))
        {
            return LocalCaRecordFactory.NameTaken(request.Name);
        }

        using var caKey = KeyGenerator.GenerateCaKey(parts.Key);
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(caKey.ExportSubjectPublicKeyInfo(), out _);
        var certificate = local.Certificates.IssueSubordinateCa(signer, parts.Subject, publicKey, request.ValidityDays,
            CaUrls.For(local.PublicBaseUrl, parent.Name));
        var record = records.Add(db, request.Name, certificate, signer.FullChain, caKey, request.CrlValidityDays, request.CrlOverlapDays);
        var now = local.Clock.GetUtcNow().UtcDateTime;
        db.IssuedCertificates.Add(IssuedCertificateRecord.From(new CaLedgerEntry(parent.Id, parent.Name, certificate.SerialNumber,
            certificate.Subject, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime()), tokenSerial: null, now));
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaCreate,
            $"Created subordinate CA '{request.Name}' ({certificate.Subject}, {record.LocalCa!.KeyDescription}, signed by '{parent.Name}', " +
            $"serial {certificate.SerialNumber}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}).") with { CaName = request.Name });
        // The unique name index decides when someone created the name since the check above.
        if (await LocalCaRecordFactory.SaveNewAsync(db, dbFactory, request.Name, ct) is { } taken)
        {
            return taken;
        }
        await local.Crls.PublishAsync(record.Id, ct);
        return (await registry.ListAsync(ct)).Single(c => c.Name == request.Name);
    }

    /// <summary>The parent must be a CA that may have CAs below it, valid now and for the whole life of the new CA.</summary>
    private PortalError? CheckParent(string parentName, X509Certificate2 parentCertificate, int validityDays)
    {
        var constraints = parentCertificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is { HasPathLengthConstraint: true, PathLengthConstraint: 0 })
        {
            return CaErrors.ParentMayNotSign(parentName, "its certificate allows no CA below it (path length 0)");
        }
        var now = local.Clock.GetUtcNow().UtcDateTime;
        var parentEnd = parentCertificate.NotAfter.ToUniversalTime();
        if (now >= parentEnd)
        {
            return CaErrors.ParentMayNotSign(parentName, $"its certificate expired on {parentEnd:yyyy-MM-dd}");
        }
        var maxDays = (int)Math.Floor((parentEnd - now).TotalDays);
        return validityDays > maxDays ? CaErrors.OutlivesParent(parentName, parentEnd, maxDays) : null;
    }
}
