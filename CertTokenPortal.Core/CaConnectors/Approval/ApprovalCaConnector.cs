using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.CaConnectors.Templates;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Approval;

/// <summary>
/// An approval-gated CA (<c>type=approval</c>): every request gets a request id and waits until an admin approves
/// it (then the local CA named <c>signer</c> issues it under this connector's template) or denies it.
/// Certificates, their ledger rows, CRLs and OCSP are the signer's; revocation and CRL publication go to it.
/// Its requests are its own store (<see cref="PendingCertificateRequest"/>), reached through a context of its own
/// and committed at once, as an external CA keeps its queue.
/// </summary>
/// <remarks>
/// Keys generated on the server are refused: keeping one until an admin decides would put a usable private key in
/// the database for hours (encrypted, but decryptable by the portal) and would need the PKCS#12 passphrase kept as
/// well, or a random one shown to nobody. A CSR keeps the key with its owner while the request waits.
/// </remarks>
public sealed class ApprovalCaConnector(CaConnectorRecord record, ApprovalCaSettings settings, ApprovalCaServices services)
    : ICaConnector, IManualApproval, IPendingRequestSource, ICrlPublisher, ICaCertificateChain, ICaTemplateCatalog
{
    public const string TypeName = "approval";

    public string Name => record.Name;

    public string Type => TypeName;

    public string? DefaultTemplate => record.DefaultTemplate;

    public bool IsStaffOnly(string templateName) => record.FindTemplate(templateName) is { IsSuccess: true, Value.StaffOnly: true };

    /// <summary>The local CA that signs approved requests.</summary>
    public string Signer => settings.Signer;

    public async Task<Result<CaIssueOutcome>> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken)
    {
        if (request.KeyGeneratedOnServer)
        {
            return PortalError.Validation($"The CA '{Name}' issues only after an admin's approval, and a key generated on the server is not kept waiting that long. Send a certificate request (CSR) instead: your key stays with you.");
        }
        if (!record.FindTemplate(request.TemplateName).TryGetValue(out var found, out var templateError))
        {
            return templateError;
        }
        // Checked now so that a request the signer could never issue is refused at once, not after the approval.
        var subject = found.BindNames(request);
        if (!subject.IsSuccess)
        {
            return subject.Error;
        }
        await using var db = await services.Local.DbFactory.CreateDbContextAsync(cancellationToken);
        if (await SignerRecordAsync(db, cancellationToken) is null)
        {
            return PortalError.Validation($"The CA '{Name}' cannot take requests: its signing CA '{Signer}' does not exist.");
        }

        var requestId = $"APR-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}";
        db.PendingCertificateRequests.Add(new PendingCertificateRequest
        {
            RequestId = requestId,
            CaConnectorId = record.Id,
            CsrDer = request.Csr.Der,
            TemplateName = found.Name,
            OwnerUserName = request.Owner.UserName,
            OwnerRealm = request.Owner.Realm,
            OwnerEmail = request.Owner.Email,
            OwnerDisplayName = request.Owner.DisplayName,
            SubjectComponents = string.Join(",", request.ExtraSubjectComponents),
            Status = PendingRequestStatus.Pending,
            CreatedAt = services.Local.Clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new CaIssueOutcome.Pending(requestId);
    }

    public async Task<Result<CaIssueOutcome>> ApproveAsync(PendingDecision decision, CancellationToken cancellationToken)
    {
        await using var db = await services.Local.DbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.PendingCertificateRequests.AsNoTracking()
            .SingleOrDefaultAsync(p => p.CaConnectorId == record.Id && p.RequestId == decision.RequestId, cancellationToken);
        if (stored is null)
        {
            return UnknownRequest(decision.RequestId);
        }
        if (stored.Status != PendingRequestStatus.Pending)
        {
            return AlreadyDecided(decision.RequestId);
        }

        // Signed before the claim, which stores the certificate with the decision in one conditional update: a
        // request is approved exactly when its certificate is kept, and a losing decider's certificate goes nowhere.
        var signer = await SignerRecordAsync(db, cancellationToken);
        if (signer is null)
        {
            return PortalError.Conflict($"Request {decision.RequestId} cannot be issued: the signing CA '{Signer}' of '{Name}' does not exist any more.");
        }
        var csr = services.CsrParser.Parse(stored.CsrDer);
        if (!csr.TryGetValue(out var parsedCsr, out var csrError))
        {
            return PortalError.Conflict($"Request {decision.RequestId} cannot be issued any more: {csrError.Message}");
        }

        // The signer's key and ledger, under this connector's templates: what the requester chose is what is issued.
        var issuer = new LocalCaConnector(new CaConnectorRecord
        {
            Id = signer.Id,
            Name = signer.Name,
            Type = LocalCaConnector.TypeName,
            // The signer's own version, so that its cached key is used (and kept) as its own issuances use it.
            UpdatedAt = signer.UpdatedAt,
            DefaultTemplate = record.DefaultTemplate,
            Templates = record.Templates,
        }, services.Local);
        var owner = new CertificateOwner(stored.OwnerUserName, stored.OwnerRealm, stored.OwnerEmail) { DisplayName = stored.OwnerDisplayName };
        var issued = await issuer.IssueAsync(new CaIssueRequest(parsedCsr, stored.TemplateName, owner)
        {
            ExtraSubjectComponents = CertificateVocabulary.SplitList(stored.SubjectComponents),
            TokenSerial = decision.TokenSerial,
        }, cancellationToken);
        if (!issued.TryGetValue(out var outcome, out var issueError))
        {
            return PortalError.Conflict($"Request {decision.RequestId} cannot be issued any more: {issueError.Message}");
        }
        var pem = outcome is CaIssueOutcome.Issued certificate ? certificate.Certificate.Pem : null;
        if (await ClaimAsync(db, decision, PendingRequestStatus.Approved, pem, cancellationToken) is { } notPending)
        {
            return notPending;
        }
        return outcome;
    }

    public async Task<Result<CaIssueOutcome>> DenyAsync(PendingDecision decision, CancellationToken cancellationToken)
    {
        await using var db = await services.Local.DbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.PendingCertificateRequests.AnyAsync(p => p.CaConnectorId == record.Id && p.RequestId == decision.RequestId, cancellationToken))
        {
            return UnknownRequest(decision.RequestId);
        }
        if (await ClaimAsync(db, decision, PendingRequestStatus.Denied, null, cancellationToken) is { } notPending)
        {
            return notPending;
        }
        return new CaIssueOutcome.Denied(decision.Reason ?? "", decision.RequestId);
    }

    public async Task<CaIssueOutcome> CheckAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var db = await services.Local.DbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.PendingCertificateRequests.AsNoTracking()
            .SingleOrDefaultAsync(p => p.CaConnectorId == record.Id && p.RequestId == requestId, cancellationToken);
        switch (stored?.Status)
        {
            case null:
                return new CaIssueOutcome.Failed($"The CA '{Name}' knows no request {requestId}.");
            case PendingRequestStatus.Pending:
                return new CaIssueOutcome.Pending(requestId);
            case PendingRequestStatus.Denied:
                return new CaIssueOutcome.Denied(stored.Reason ?? "", requestId);
            default:
                // An approval records the token right after it is decided here, so a poller only gets here when that
                // failed in between; it then records the certificate with its ledger line, as the approval would have.
                if (stored.CertificatePem is null)
                {
                    return new CaIssueOutcome.Pending(requestId);
                }
                var signer = await SignerRecordAsync(db, cancellationToken);
                if (signer is null)
                {
                    return new CaIssueOutcome.Failed($"The signing CA '{Signer}' of '{Name}' does not exist any more.");
                }
                var certificate = X509Certificate2.CreateFromPem(stored.CertificatePem);
                var chain = await new LocalCaConnector(signer, services.Local).GetChainAsync(cancellationToken);
                return new CaIssueOutcome.Issued(new IssuedCertificate(certificate, chain)
                {
                    LedgerEntry = new CaLedgerEntry(signer.Id, signer.Name, certificate.SerialNumber, certificate.Subject,
                        certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime()),
                });
        }
    }

    public async Task<Result> RevokeAsync(CaRevokeRequest request, CancellationToken cancellationToken)
    {
        await using var db = await services.Local.DbFactory.CreateDbContextAsync(cancellationToken);
        return await SignerAsync(db, cancellationToken) is { } signer
            ? await signer.RevokeAsync(request, cancellationToken)
            : PortalError.NotFound($"The signing CA '{Signer}' of '{Name}' does not exist any more.");
    }

    public async Task<CrlInfo> PublishCrlAsync(CancellationToken cancellationToken) =>
        await (await RequireSignerAsync(cancellationToken)).PublishCrlAsync(cancellationToken);

    public async Task<CrlInfo?> GetCurrentCrlAsync(CancellationToken cancellationToken)
    {
        await using var db = await services.Local.DbFactory.CreateDbContextAsync(cancellationToken);
        return await SignerAsync(db, cancellationToken) is { } signer ? await signer.GetCurrentCrlAsync(cancellationToken) : null;
    }

    public async Task<IReadOnlyList<X509Certificate2>> GetChainAsync(CancellationToken cancellationToken)
    {
        await using var db = await services.Local.DbFactory.CreateDbContextAsync(cancellationToken);
        return await SignerAsync(db, cancellationToken) is { } signer ? await signer.GetChainAsync(cancellationToken) : [];
    }

    /// <summary>Marks the request decided, if it is still pending: one conditional update, so of two deciders one wins.</summary>
    private async Task<PortalError?> ClaimAsync(PortalDbContext db, PendingDecision decision, PendingRequestStatus status,
        string? certificatePem, CancellationToken ct)
    {
        var now = services.Local.Clock.GetUtcNow().UtcDateTime;
        var changed = await db.PendingCertificateRequests
            .Where(p => p.CaConnectorId == record.Id && p.RequestId == decision.RequestId && p.Status == PendingRequestStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, status)
                .SetProperty(p => p.DecidedBy, decision.DecidedBy)
                .SetProperty(p => p.DecidedAt, now)
                .SetProperty(p => p.Reason, decision.Reason)
                .SetProperty(p => p.CertificatePem, certificatePem), ct);
        return changed == 1 ? null : AlreadyDecided(decision.RequestId);
    }

    private static PortalError AlreadyDecided(string requestId) => PortalError.Conflict($"Request {requestId} was already decided.");


    private Task<CaConnectorRecord?> SignerRecordAsync(PortalDbContext db, CancellationToken ct) =>
        db.CaConnectors.AsNoTracking().Include(c => c.Templates)
            .SingleOrDefaultAsync(c => c.Name == Signer && c.Type == LocalCaConnector.TypeName, ct);

    private async Task<LocalCaConnector?> SignerAsync(PortalDbContext db, CancellationToken ct) =>
        await SignerRecordAsync(db, ct) is { } signer ? new LocalCaConnector(signer, services.Local) : null;

    private async Task<LocalCaConnector> RequireSignerAsync(CancellationToken ct)
    {
        await using var db = await services.Local.DbFactory.CreateDbContextAsync(ct);
        return await SignerAsync(db, ct)
               ?? throw new InvalidOperationException($"The signing CA '{Signer}' of '{Name}' does not exist any more.");
    }

    private PortalError UnknownRequest(string requestId) => PortalError.NotFound($"The CA '{Name}' knows no request {requestId}.");
}

/// <summary>What every approval connector shares; one instance for the application.</summary>
public sealed class ApprovalCaServices(LocalCaServices local, CsrParser csrParser)
{
    public LocalCaServices Local => local;
    public CsrParser CsrParser => csrParser;
}

/// <summary>Builds <see cref="ApprovalCaConnector"/>s from their records.</summary>
internal sealed class ApprovalCaConnectorFactory(ApprovalCaServices services) : ICaConnectorFactory
{
    public string Type => ApprovalCaConnector.TypeName;

    public ICaConnector Create(CaConnectorRecord record) => new ApprovalCaConnector(record, ApprovalCaSettings.Read(record), services);
}
