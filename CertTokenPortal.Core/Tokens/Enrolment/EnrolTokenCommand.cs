using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// Enrols one certificate token in any of the three modes. The order is fixed: check the input, decide the owner,
/// find CA and template, make the key (genkey), ask the CA, then save token, CA ledger row and audit entry in one
/// transaction. A refusal saves nothing but its audit entry; a CA failure leaves a token marked failed.
/// </summary>
public sealed partial class EnrolTokenCommand(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICaConnectorRegistry caConnectors,
    EnrolmentSourceReader sources,
    TokenCertificateWriter certificateWriter,
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
        if (!SubjectComponentNames.Read(request.SubjectComponents).TryGetValue(out var subjectComponents, out var componentError))
        {
            return componentError;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!(await EnrolmentOwner.ResolveAsync(db, actor, request.UserName, request.Realm, ct)).TryGetValue(out var owner, out var ownerError))
        {
            return ownerError;
        }

        ICaConnector? ca = null;
        if (plan.Mode != EnrolmentModes.Certificate)
        {
            if (string.IsNullOrWhiteSpace(request.CaName))
            {
                return PortalError.Validation("Choose the CA connector ('ca') that should issue the certificate.");
            }
            var found = await caConnectors.GetAsync(request.CaName.Trim(), ct);
            if (!found.TryGetValue(out ca, out var caError))
            {
                return PortalError.Validation(caError.Message);
            }
        }

        var templateName = request.TemplateName?.Trim();
        if (ca is not null && string.IsNullOrEmpty(templateName))
        {
            templateName = (await caConnectors.ListAsync(ct)).FirstOrDefault(c => c.Name == ca.Name)?.DefaultTemplate;
            if (string.IsNullOrEmpty(templateName))
            {
                return PortalError.Validation($"The CA '{ca.Name}' has no default template; choose one ('template').");
            }
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
            TemplateName = ca is null ? null : templateName,
            PinHash = string.IsNullOrEmpty(request.Pin) ? null : TokenPins.Hash(request.Pin),
            CreatedBy = actor.UserName,
            CreatedAt = now,
            UpdatedAt = now,
            Version = Guid.NewGuid(),
        };

        using var source = sources.Open(plan, owner.UserName);
        var issued = await IssueAsync(db, ca, source, owner, token, subjectComponents, ct);
        if (!issued.TryGetValue(out var outcome, out var issueError))
        {
            return issueError;
        }

        return outcome switch
        {
            CaIssueOutcome.Issued i => await SaveEnrolledAsync(db, actor, token, source, i.Certificate, request.Pin, ct),
            CaIssueOutcome.Pending p => await SaveUndecidedAsync(db, actor, token, RolloutState.Pending, p.RequestId, $"Request {p.RequestId} waits for the CA's decision.", ct),
            CaIssueOutcome.Denied d => await SaveUndecidedAsync(db, actor, token, RolloutState.Denied, d.RequestId, d.Reason, ct),
            CaIssueOutcome.Failed f => await SaveFailedAsync(actor, token, f.Message, ct),
            _ => throw new InvalidOperationException($"Unknown CA outcome {outcome}"),
        };
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
        RolloutState state, string? requestId, string message, CancellationToken ct)
    {
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

    private async Task<Result<EnrolmentResult>> SaveFailedAsync(Actor actor, CertificateToken token, string message, CancellationToken ct)
    {
        // A fresh context: whatever the connector added before it failed must not be saved with the failed token.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
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
