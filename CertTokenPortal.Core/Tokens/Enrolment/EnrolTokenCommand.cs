using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Attestation;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// Enrols one certificate token in any of the three modes. The order is fixed: check the input, decide the owner,
/// weigh the policies (CA, template, key, passphrase, attestation), make the key (genkey), then in one transaction
/// take the owner's quota lock and check the quotas, ask the CA, and save token, CA ledger row and audit entry.
/// A refusal saves nothing but its audit entry; a CA failure leaves a token marked failed.
/// </summary>
public sealed partial class EnrolTokenCommand(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICaConnectorRegistry caConnectors,
    EnrolmentSourceReader sources,
    TokenCertificateWriter certificateWriter,
    EffectivePolicyResolver policies,
    EnrolmentAttestation attestation,
    OwnerQuota quota,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<EnrolTokenCommand> logger)
{
    public async Task<Result<EnrolmentResult>> ExecuteAsync(Actor actor, EnrolmentRequest request, CancellationToken ct = default)
    {
        var result = await EnrolAsync(actor, request, ct);
        if (!result.IsSuccess)
        {
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.TokenEnrol, $"Enrolment refused: {result.Error.Message}") with
            {
                TargetUser = request.UserName ?? actor.UserName,
                CaName = request.CaName,
            }, ct);
        }
        return result;
    }

    private async Task<Result<EnrolmentResult>> EnrolAsync(Actor actor, EnrolmentRequest request, CancellationToken ct)
    {
        if (!sources.Read(request).TryGetValue(out var plan, out var planError))
        {
            return planError;
        }
        if (!SubjectComponentNames.Read(request.SubjectComponents).TryGetValue(out var requestedComponents, out var componentError))
        {
            return componentError;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!(await EnrolmentOwner.ResolveAsync(db, actor, request.UserName, request.Realm, ct)).TryGetValue(out var owner, out var ownerError))
        {
            return ownerError;
        }
        var policy = await policies.ResolveAsync(actor.Role, owner.Realm, ct);

        ICaConnector? ca = null;
        string? templateName = null;
        if (plan.Mode != EnrolmentModes.Certificate)
        {
            if (!EnrolmentPolicyRules.ChooseCa(policy, request.CaName).TryGetValue(out var caName, out var caChoiceError))
            {
                return caChoiceError;
            }
            if (!(await caConnectors.GetAsync(caName, ct)).TryGetValue(out ca, out var caError))
            {
                return PortalError.Validation(caError.Message);
            }
            var caDefault = policy.Template is null && string.IsNullOrWhiteSpace(request.TemplateName)
                ? (await caConnectors.ListAsync(ct)).FirstOrDefault(c => c.Name == ca.Name)?.DefaultTemplate
                : null;
            if (!EnrolmentPolicyRules.ChooseTemplate(policy, ca.Name, request.TemplateName, caDefault).TryGetValue(out templateName, out var templateError))
            {
                return templateError;
            }
        }
        if ((EnrolmentPolicyRules.CheckKey(policy, plan) ?? EnrolmentPolicyRules.CheckPin(policy, plan, request.Pin)) is { } refused)
        {
            return refused;
        }
        var subjectComponents = EnrolmentPolicyRules.SubjectComponents(policy, plan, requestedComponents);
        if (!(await attestation.CheckAsync(policy, plan.Mode, plan.Csr, request.Attestation, ct)).TryGetValue(out var attested, out var attestationError))
        {
            return attestationError;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var token = new CertificateToken
        {
            Serial = TokenSerials.New(),
            OwnerUserName = owner.UserName,
            OwnerRealm = owner.Realm,
            Description = request.Description?.Trim() ?? "",
            EnrolmentMode = plan.Mode,
            CaName = ca?.Name,
            TemplateName = templateName,
            PinHash = string.IsNullOrEmpty(request.Pin) ? null : TokenPins.Hash(request.Pin),
            AttestationInfo = attested?.TokenInfo,
            CreatedBy = actor.UserName,
            CreatedAt = now,
            UpdatedAt = now,
            Version = Guid.NewGuid(),
        };

        await quota.EnsureLockRowAsync(owner, ct);
        // The key is generated before the transaction: it is the slow part, and must not hold the owner's lock.
        using var source = sources.Open(plan, owner.UserName);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await quota.LockAndCheckAsync(db, owner, policy, ct) is { } quotaError)
        {
            await transaction.RollbackAsync(ct);
            return quotaError;
        }
        var issued = await IssueAsync(db, ca, source, owner, token, subjectComponents, ct);
        if (!issued.TryGetValue(out var outcome, out var issueError))
        {
            await transaction.RollbackAsync(ct);
            return issueError;
        }
        if (outcome is CaIssueOutcome.Failed failed)
        {
            await transaction.RollbackAsync(ct);
            return await SaveFailedAsync(actor, token, failed.Message, attested, ct);
        }

        AuditAttestation(db, actor, token, attested);
        var saved = outcome switch
        {
            CaIssueOutcome.Issued i => await SaveEnrolledAsync(db, actor, token, source, i.Certificate, request.Pin, ct),
            CaIssueOutcome.Pending p => await SaveUndecidedAsync(db, actor, token, source, RolloutState.Pending, p.RequestId, $"Request {p.RequestId} waits for the CA's decision.", ct),
            CaIssueOutcome.Denied d => await SaveUndecidedAsync(db, actor, token, source, RolloutState.Denied, d.RequestId, d.Reason, ct),
            _ => throw new InvalidOperationException($"Unknown CA outcome {outcome}"),
        };
        await transaction.CommitAsync(ct);
        return saved;
    }

    private async Task<Result<CaIssueOutcome>> IssueAsync(PortalDbContext db, ICaConnector? ca, EnrolmentSource source,
        CertificateOwner owner, CertificateToken token, IReadOnlyList<string> subjectComponents, CancellationToken ct)
    {
        switch (source)
        {
            case EnrolmentSource.FromCertificate upload:
                return new CaIssueOutcome.Issued(new IssuedCertificate(upload.Certificate, []));
            case EnrolmentSource.FromCsr or EnrolmentSource.FromGeneratedKey:
                var csr = source is EnrolmentSource.FromCsr c ? c.Csr : ((EnrolmentSource.FromGeneratedKey)source).Csr;
                var issueRequest = new CaIssueRequest(csr, token.TemplateName ?? "", owner)
                {
                    ExtraSubjectComponents = subjectComponents,
                    TokenSerial = token.Serial,
                    KeyGeneratedOnServer = source is EnrolmentSource.FromGeneratedKey,
                };
                try
                {
                    return await ca!.IssueAsync(db, issueRequest, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // An outage or a bug in a connector must not lose the request: the token records the failure.
                    LogCaFailure(logger, e, ca!.Name, token.Serial);
                    return new CaIssueOutcome.Failed($"The CA '{ca.Name}' failed: {e.Message}");
                }
            default:
                throw new InvalidOperationException($"Unknown enrolment source {source}");
        }
    }

    private async Task<Result<EnrolmentResult>> SaveEnrolledAsync(PortalDbContext db, Actor actor, CertificateToken token,
        EnrolmentSource source, IssuedCertificate issued, string? pin, CancellationToken ct)
    {
        token.RolloutState = RolloutState.Enrolled;
        certificateWriter.Fill(token, issued.Certificate);
        var result = new EnrolmentResult(TokenView.From(token)) { ChainPem = issued.Chain.Select(c => c.ExportCertificatePem()).ToList() };

        if (source is EnrolmentSource.FromGeneratedKey generated)
        {
            var bundle = certificateWriter.AttachPkcs12(token, generated.Key, issued, pin);
            result = result with { Pkcs12 = bundle.Pkcs12, Pkcs12Password = bundle.GeneratedPassword };
        }

        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenEnrol,
            $"Enrolled {token.EnrolmentMode} token, certificate {token.CertificateSerial} for {token.Subject}" +
            (token.CaName is null ? " (uploaded)." : $" from CA '{token.CaName}' with template '{token.TemplateName}'.")) with
        {
            Serial = token.Serial, TargetUser = token.OwnerUserName, CaName = token.CaName,
        });
        await SaveNewTokenAsync(db, token, ct);
        return result with { Token = TokenView.From(token) };
    }

    private async Task<Result<EnrolmentResult>> SaveUndecidedAsync(PortalDbContext db, Actor actor, CertificateToken token,
        EnrolmentSource source, RolloutState state, string? requestId, string message, CancellationToken ct)
    {
        // What was asked for, so that whoever decides (and the owner's lists) can see it; issuing replaces both.
        if (source is EnrolmentSource.FromCsr { Csr: var csr })
        {
            token.Subject = csr.SubjectText.Length > 1024 ? csr.SubjectText[..1024] : csr.SubjectText;
            token.KeyDescription = csr.KeyDescription;
        }
        token.RolloutState = state;
        token.RequestId = requestId;
        token.FailureMessage = state == RolloutState.Denied ? message : null;
        token.Active = state == RolloutState.Pending;
        audit.Add(db, actor, new AuditEvent(AuditActions.TokenEnrol, state == RolloutState.Pending, message)
        {
            Serial = token.Serial, TargetUser = token.OwnerUserName, CaName = token.CaName,
        });
        await SaveNewTokenAsync(db, token, ct);
        return new EnrolmentResult(TokenView.From(token));
    }

    private async Task<Result<EnrolmentResult>> SaveFailedAsync(Actor actor, CertificateToken token, string message,
        AttestationReport? attested, CancellationToken ct)
    {
        // A fresh context: whatever the connector added before it failed must not be saved with the failed token.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AuditAttestation(db, actor, token, attested);
        token.RolloutState = RolloutState.Failed;
        token.FailureMessage = message;
        token.Active = false;
        audit.Add(db, actor, AuditEvent.Failed(AuditActions.TokenEnrol, message) with
        {
            Serial = token.Serial, TargetUser = token.OwnerUserName, CaName = token.CaName,
        });
        await SaveNewTokenAsync(db, token, ct);
        return new EnrolmentResult(TokenView.From(token));
    }

    /// <summary>The attestation check's finding, as its own audit entry (a failure under <c>verify</c> is reported, not fatal).</summary>
    private void AuditAttestation(PortalDbContext db, Actor actor, CertificateToken token, AttestationReport? report)
    {
        if (report is not null)
        {
            audit.Add(db, actor, new AuditEvent(AuditActions.TokenAttestation, report.Passed, $"Attestation of token {token.Serial}: {report.TokenInfo}")
            {
                Serial = token.Serial, TargetUser = token.OwnerUserName, CaName = token.CaName,
            });
        }
    }

    /// <summary>
    /// Saves the new token with everything else the context holds (ledger row, audit entry) in one transaction.
    /// Token serials are random; in the rare case one is taken, the token gets another and the save is retried.
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
                if (!await SerialTakenAsync(db, token.Serial, ct))
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
                case Audit.AuditEntry auditEntry when auditEntry.Serial == token.Serial:
                    auditEntry.Serial = serial;
                    break;
            }
        }
        token.Serial = serial;
    }

    private static Task<bool> SerialTakenAsync(PortalDbContext db, string serial, CancellationToken ct) =>
        db.Tokens.AsNoTracking().AnyAsync(t => t.Serial == serial, ct);

    [LoggerMessage(Level = LogLevel.Error, Message = "CA connector {CaName} failed while issuing for token {Serial}")]
    private static partial void LogCaFailure(ILogger logger, Exception exception, string caName, string serial);
}
