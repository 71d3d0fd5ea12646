using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>What a renewal produced and must now be kept.</summary>
public sealed record RenewalRecord(RenewalDecision Decision, RenewalRequest Request, CaIssueOutcome Outcome, EnrolmentSource Source);

/// <summary>
/// Saves a renewal in one short transaction: the token with its new certificate (or a pending row while an approver
/// decides), the replaced certificate as superseded in the history, the CA's ledger line and the audit entry. The
/// token's version must be the one the renewal read: of two renewals at once exactly one is kept, and what the CA
/// produced for the other never leaves this process.
/// </summary>
public sealed class RenewalRecorder(CertificateReplacement replacement, TokenCertificateWriter writer, IAuditLog audit,
    Notifications.TokenNotifications notifications, GroupCommit groupCommit, SupersededRevoker superseded, TimeProvider clock)
{
    public async Task<Result<RenewalResult>> SaveAsync(Actor actor, RenewalRecord record, CancellationToken ct)
    {
        var (decision, request, outcome, source) = record;
        var mode = request.Mode;
        // Through the group commit like an enrolment: on SQLite it shares a batch's one commit instead of waiting in
        // the busy handler for it; a lost race undoes only this write's savepoint.
        var written = await groupCommit.WriteAsync(decision.Token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            async (shared, writeCt) =>
            {
                try
                {
                    var value = await WriteAsync(shared, actor, record, writeCt);
                    return new GroupWrite<RenewalResult?>(value, Keep: value is not null);
                }
                catch (DbUpdateConcurrencyException)
                {
                    return new GroupWrite<RenewalResult?>(null, Keep: false);
                }
            }, ct);
        if (written is not { } result)
        {
            return await LostAsync(decision, outcome, ct);
        }
        if (result.ReplacedRevokeAfter is { } due && due <= clock.GetUtcNow().UtcDateTime)
        {
            await superseded.RevokeDueAsync(decision.Token.Id, ct); // a grace of 0: at once, not at the job's next round
        }
        return result;
    }

    /// <summary>The renewal's part of a shared transaction; null when the token changed since the renewal read it.</summary>
    private async Task<RenewalResult?> WriteAsync(PortalDbContext db, Actor actor, RenewalRecord record, CancellationToken ct)
    {
        var (decision, request, outcome, source) = record;
        var mode = request.Mode;
        RenewalResult result;
        var token = await db.Tokens.SingleOrDefaultAsync(t => t.Id == decision.Token.Id, ct);
        if (token is null || token.Version != decision.Token.Version)
        {
            return null; // changed since the renewal read it: another renewal (or change) got there first
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var origin = mode == RenewalMode.SameKey ? TokenCertificateOrigins.Renewal : TokenCertificateOrigins.Rekey;
        if (decision.Attestation is { } attested)
        {
            audit.Add(db, actor, new AuditEvent(AuditActions.TokenAttestation, attested.Passed, $"Attestation of token {token.Serial}: {attested.TokenInfo}").For(token));
        }
        switch (outcome)
        {
            case CaIssueOutcome.Issued issued:
                var replaced = await replacement.ReplaceAsync(db, token, issued.Certificate, origin, decision.Template.SupersededGraceDays,
                    source.RequestCsr?.KeyDescription, actor.UserName, ct);
                result = Issued(token, request, source, issued.Certificate, replaced);
                audit.Add(db, actor, AuditEvent.Succeeded(RenewTokenCommand.AuditName(mode),
                    $"{(mode == RenewalMode.SameKey ? "Renewed" : "Rekeyed")} token {token.Serial} ({mode.ToName()}): certificate {token.CertificateSerial} " +
                    $"replaces {replaced.CertificateSerial}, {CertificateReplacement.Fate(replaced)}").For(token));
                break;
            case CaIssueOutcome.Pending pending:
                db.TokenCertificates.Add(new TokenCertificate
                {
                    TokenId = token.Id, TokenSerial = token.Serial, State = TokenCertificateStates.Pending, Origin = origin,
                    CaName = token.CaName, TemplateName = decision.Template.Name, RequestId = pending.RequestId,
                    Subject = source.RequestCsr?.SubjectText, KeyDescription = source.RequestCsr?.KeyDescription,
                    CreatedBy = actor.UserName, CreatedAt = now,
                });
                token.UpdatedAt = now;
                token.Version = Guid.NewGuid();
                audit.Add(db, actor, AuditEvent.Succeeded(RenewTokenCommand.AuditName(mode),
                    $"Renewal of token {token.Serial} waits for the CA's decision (request {pending.RequestId}); the token keeps certificate {token.CertificateSerial} meanwhile.").For(token));
                await notifications.RequestWaitingAsync(db, actor, token, ct);
                result = new RenewalResult(TokenView.From(token), mode, RolloutState.Pending.ToName()) { RequestId = pending.RequestId };
                break;
            case CaIssueOutcome.Denied denied:
                db.TokenCertificates.Add(new TokenCertificate
                {
                    TokenId = token.Id, TokenSerial = token.Serial, State = TokenCertificateStates.Denied, Origin = origin,
                    CaName = token.CaName, TemplateName = decision.Template.Name, RequestId = denied.RequestId, Reason = denied.Reason,
                    CreatedBy = actor.UserName, CreatedAt = now,
                });
                audit.Add(db, actor, AuditEvent.Failed(RenewTokenCommand.AuditName(mode), $"The CA denied the renewal of token {token.Serial}: {denied.Reason}").For(token));
                result = new RenewalResult(TokenView.From(token), mode, RolloutState.Denied.ToName()) { Message = denied.Reason };
                break;
            default:
                throw new InvalidOperationException($"{outcome} is not recorded here.");
        }
        await db.SaveChangesAsync(ct); // a concurrency conflict here is a lost race too (caught by the caller)
        return result;
    }

    private RenewalResult Issued(CertificateToken token, RenewalRequest request, EnrolmentSource source, IssuedCertificate issued, TokenCertificate replaced)
    {
        var result = new RenewalResult(TokenView.From(token), request.Mode, RolloutState.Enrolled.ToName())
        {
            ReplacedCertificateSerial = replaced.CertificateSerial,
            ReplacedRevokeAfter = replaced.RevokeAfter,
            ChainPem = issued.Chain.Select(c => c.ExportCertificatePem()).ToList(),
        };
        using var certificate = issued.Certificate; // the token holds the PEM now; the native handle goes back at once
        if (request.Mode == RenewalMode.SameKey)
        {
            return result; // the stored PKCS#12 (if any) holds the same key; the new certificate is downloaded beside it
        }
        token.EnrolmentMode = source.Mode;
        token.EncryptedPkcs12 = null; // the old key's PKCS#12 no longer fits the token's certificate
        if (source is EnrolmentSource.FromGeneratedKey generated)
        {
            var bundle = writer.AttachPkcs12(token, generated.Key, issued, request.Pin);
            token.PinHash = string.IsNullOrEmpty(request.Pin) ? null : TokenPins.Hash(request.Pin);
            result = result with { Pkcs12 = bundle.Pkcs12, Pkcs12Password = bundle.GeneratedPassword };
        }
        return result with { Token = TokenView.From(token) };
    }

    /// <summary>Another renewal (or change) got there first; a request this one left waiting at an approval CA is withdrawn.</summary>
    private static async Task<Result<RenewalResult>> LostAsync(RenewalDecision decision, CaIssueOutcome outcome, CancellationToken ct)
    {
        if (outcome is CaIssueOutcome.Pending pending && decision.Ca is IManualApproval approval)
        {
            await approval.DenyAsync(new PendingDecision(pending.RequestId, decision.Token.Serial, Actor.System.UserName,
                "Withdrawn: another renewal of the token was recorded at the same time."), ct);
        }
        return RenewalErrors.Concurrent(decision.Token.Serial);
    }
}
