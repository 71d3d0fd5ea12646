using CertTokenPortal.Core.Attestation;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>What an enrolment produced and must now be kept: the token, whom it is for, and what the CA said.</summary>
public sealed record EnrolmentRecord(
    CertificateToken Token,
    CertificateOwner Owner,
    EffectivePolicy Policy,
    CaIssueOutcome Outcome,
    EnrolmentSource Source,
    AttestationReport? Attestation);

/// <summary>
/// Saves the outcome of an enrolment: the token, the CA's ledger line and the audit entries, in one short transaction
/// that re-checks the owner's quota under the owner's lock. Concurrent enrolments share that transaction and its
/// commit (<see cref="GroupCommit"/>); each is answered only after the commit, and each is undone alone if it fails.
/// </summary>
/// <remarks>
/// The CA hands its ledger line back (<see cref="IssuedCertificate.LedgerEntry"/>) rather than writing it itself: only
/// one transaction for token and ledger keeps "a token is fully enrolled, or failed, or absent" on any database without
/// a distributed commit. Were the ledger written by the CA first, a crash or a lost quota race before the token is
/// saved would leave a valid certificate in the CRL's and OCSP's books that no token holds and nobody can revoke.
/// </remarks>
public sealed class EnrolmentRecorder(IDbContextFactory<PortalDbContext> dbFactory, OwnerQuota quota, IAuditLog audit,
    Notifications.TokenNotifications notifications, GroupCommit groupCommit)
{
    /// <summary>
    /// Records an issued, pending or denied enrolment. <paramref name="result"/> is the answer of an issued one (with
    /// its PKCS#12); null for the others, whose answer is the token alone.
    /// </summary>
    public async Task<Result<EnrolmentResult>> SaveAsync(Actor actor, EnrolmentRecord record, EnrolmentResult? result, CancellationToken ct)
    {
        var quotaApplies = OwnerQuota.Applies(record.Policy);
        if (quotaApplies)
        {
            // Its own short write, before the shared transaction (an insert racing another would abort it on PostgreSQL).
            await quota.EnsureLockRowAsync(record.Owner, ct);
        }
        var lockOrder = $"{record.Owner.Realm}\n{record.Owner.UserName}";
        var saved = await groupCommit.WriteAsync(lockOrder, (db, writeCt) => WriteAsync(db, actor, record, quotaApplies, writeCt), ct);
        if (saved is { } quotaError)
        {
            return quotaError;
        }
        var token = record.Token;
        return (result ?? new EnrolmentResult(TokenView.From(token))) with { Token = TokenView.From(token) };
    }

    /// <summary>The enrolment's part of a shared transaction; a reached quota is answered and its part undone.</summary>
    private async Task<GroupWrite<PortalError?>> WriteAsync(PortalDbContext db, Actor actor, EnrolmentRecord record, bool quotaApplies,
        CancellationToken ct)
    {
        var token = record.Token;
        if (quotaApplies && await quota.LockAndCheckAsync(db, record.Owner, record.Policy, ct) is { } quotaError)
        {
            // Another enrolment took the last place meanwhile. What the CA produced for this one never left this
            // process and is not recorded, so it is dropped with the savepoint.
            return new GroupWrite<PortalError?>(quotaError, Keep: false);
        }

        AuditAttestation(db, actor, token, record.Attestation);
        switch (record.Outcome)
        {
            case CaIssueOutcome.Issued issued:
                AddLedgerLine(db, token, issued.Certificate);
                AddHistoryRow(db, token);
                AddAudit(db, actor, token, true,
                    $"Enrolled {token.EnrolmentMode} token, certificate {token.CertificateSerial} for {token.Subject}" +
                    (token.CaName is null ? " (uploaded)." : $" from CA '{token.CaName}' with template '{token.TemplateName}'."));
                break;
            case CaIssueOutcome.Pending pending:
                MarkUndecided(token, record.Source, RolloutState.Pending, pending.RequestId, null);
                AddAudit(db, actor, token, true, token.EnrolmentMode == EnrolmentModes.Certificate
                    ? $"Uploaded certificate {token.CertificateSerial} ({pending.RequestId}) waits for an approver's decision."
                    : $"Request {pending.RequestId} waits for the CA's decision.");
                await notifications.RequestWaitingAsync(db, actor, token, ct);
                break;
            case CaIssueOutcome.Denied denied:
                MarkUndecided(token, record.Source, RolloutState.Denied, denied.RequestId, denied.Reason);
                AddAudit(db, actor, token, false, denied.Reason);
                break;
            default:
                throw new InvalidOperationException($"{record.Outcome} is not recorded here.");
        }

        await SaveNewTokenAsync(db, token, ct);
        return new GroupWrite<PortalError?>(null, Keep: true);
    }

    /// <summary>Adds the CA's ledger line of a certificate to <paramref name="db"/>, held by <paramref name="token"/>.</summary>
    internal static void AddLedgerLine(PortalDbContext db, CertificateToken token, IssuedCertificate certificate)
    {
        if (certificate.LedgerEntry is { } entry)
        {
            db.IssuedCertificates.Add(IssuedCertificateRecord.From(entry, token.Serial, token.UpdatedAt));
        }
    }

    /// <summary>The token's first certificate, as the first row of its certificate history (saved with the token).</summary>
    internal static void AddHistoryRow(PortalDbContext db, CertificateToken token)
    {
        var row = Renewal.TokenCertificateRows.Of(token, Renewal.TokenCertificateStates.Current,
            Renewal.TokenCertificateOrigins.Enrolment, token.CreatedBy, token.UpdatedAt);
        row.Token = token; // the token has no id before it is saved; the key is filled in then
        db.TokenCertificates.Add(row);
    }

    /// <summary>A CA that failed leaves a token marked failed, with the CA's message. Failed tokens count towards no quota.</summary>
    public async Task<Result<EnrolmentResult>> SaveFailedAsync(Actor actor, CertificateToken token, string message,
        AttestationReport? attested, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AuditAttestation(db, actor, token, attested);
        token.RolloutState = RolloutState.Failed;
        token.FailureMessage = message;
        token.Active = false;
        AddAudit(db, actor, token, false, message);
        await SaveNewTokenAsync(db, token, ct);
        return new EnrolmentResult(TokenView.From(token));
    }

    /// <summary>What was asked for stays visible to whoever decides (and in the owner's lists); issuing replaces it.</summary>
    private static void MarkUndecided(CertificateToken token, EnrolmentSource source, RolloutState state, string? requestId, string? reason)
    {
        if (source is EnrolmentSource.FromCsr { Csr: var csr })
        {
            token.Subject = csr.SubjectText.Length > 1024 ? csr.SubjectText[..1024] : csr.SubjectText;
            token.KeyDescription = csr.KeyDescription;
        }
        token.RolloutState = state;
        token.RequestId = requestId;
        token.FailureMessage = reason;
        token.Active = state == RolloutState.Pending;
    }

    private void AddAudit(PortalDbContext db, Actor actor, CertificateToken token, bool success, string message) =>
        audit.Add(db, actor, new AuditEvent(AuditActions.TokenEnrol, success, message).For(token));

    /// <summary>The attestation check's finding, as its own audit entry (a failure under <c>verify</c> is reported, not fatal).</summary>
    private void AuditAttestation(PortalDbContext db, Actor actor, CertificateToken token, AttestationReport? report)
    {
        if (report is not null)
        {
            audit.Add(db, actor, new AuditEvent(AuditActions.TokenAttestation, report.Passed, $"Attestation of token {token.Serial}: {report.TokenInfo}").For(token));
        }
    }

    /// <summary>
    /// Saves the new token with everything else the context holds (ledger row, audit entries). Token serials are
    /// random; in the rare case one is taken, the token gets another and the save is retried.
    /// </summary>
    private static async Task SaveNewTokenAsync(PortalDbContext db, CertificateToken token, CancellationToken ct)
    {
        db.Tokens.Add(token);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                if (!await db.Tokens.AsNoTracking().AnyAsync(t => t.Serial == token.Serial, ct))
                {
                    throw;
                }
                RenameSerial(db, token, TokenSerials.New());
            }
        }
    }

    /// <summary>Gives the unsaved token a new serial, and the rows saved with it (ledger, audit) too.</summary>
    private static void RenameSerial(PortalDbContext db, CertificateToken token, string serial)
    {
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case IssuedCertificateRecord ledger when ledger.TokenSerial == token.Serial:
                    ledger.TokenSerial = serial;
                    break;
                case Renewal.TokenCertificate history when history.TokenSerial == token.Serial:
                    history.TokenSerial = serial;
                    break;
                case AuditEntry auditEntry when auditEntry.Serial == token.Serial:
                    auditEntry.Serial = serial;
                    break;
            }
        }
        token.Serial = serial;
    }
}
