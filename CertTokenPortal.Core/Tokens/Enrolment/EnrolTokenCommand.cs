using CertTokenPortal.Core.Attestation;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// Enrols one certificate token in any of the three modes, in three phases. Decide: check the input, the owner and
/// the policies (CA, template, key, passphrase, attestation, quota), writing nothing. Produce: make the key, ask
/// the CA, build the PKCS#12, outside any transaction, because this is the slow part and must never hold a database
/// lock. Record: one short transaction that takes the owner's quota lock, counts again, and saves token, CA ledger
/// row and audit entry together. A refusal saves nothing but its audit entry; a CA failure leaves a token marked failed.
/// </summary>
public sealed partial class EnrolTokenCommand(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICaConnectorRegistry caConnectors,
    EnrolmentSourceReader sources,
    TokenCertificateWriter certificateWriter,
    EffectivePolicyResolver policies,
    EnrolmentAttestation attestation,
    EnrolmentRecorder recorder,
    UploadedCertificateCheck uploads,
    WorkQueue work,
    UseCaseGuard guard,
    TimeProvider clock,
    ILogger<EnrolTokenCommand> logger,
    Users.DirectoryUsers.DirectoryOwners directoryOwners)
{
    public async Task<Result<EnrolmentResult>> ExecuteAsync(Actor actor, EnrolmentRequest request, CancellationToken ct = default)
    {
        return await guard.RunAsync(actor, null, null,
            refusal => AuditEvent.Failed(AuditActions.TokenEnrol, $"Enrolment refused: {refusal.Message}") with
            {
                TargetUser = request.UserName ?? actor.UserName,
                CaName = request.CaName,
            },
            () => EnrolAsync(actor, request, ct), ct);
    }

    private async Task<Result<EnrolmentResult>> EnrolAsync(Actor actor, EnrolmentRequest request, CancellationToken ct)
    {
        // Decide.
        if ((InputLimits.CheckDescription(request.Description) ?? InputLimits.CheckPin(request.Pin)) is { } inputError)
        {
            return inputError;
        }
        if (!sources.Read(request).TryGetValue(out var plan, out var planError))
        {
            return planError;
        }
        if (!SubjectComponentNames.Read(request.SubjectComponents).TryGetValue(out var requestedComponents, out var componentError))
        {
            return componentError;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await ChosenSerialProblemAsync(db, request.Serial, ct) is { } serialError)
        {
            return serialError;
        }
        if (!(await EnrolmentOwner.ResolveAsync(db, directoryOwners, actor, request.UserName, request.Realm, ct)).TryGetValue(out var owner, out var ownerError))
        {
            return ownerError;
        }
        if (EnrolmentOwner.CheckRank(actor, owner) is { } aboveActor)
        {
            return aboveActor;
        }
        // The owner's policy governs; the actor's role only adds what staff may do (enrol for others, staff templates).
        var policy = await policies.ResolveAsync(owner.Role, owner.Realm, ct);

        ICaConnector? ca = null;
        string? templateName = null;
        if (plan.Mode != EnrolmentModes.Certificate)
        {
            (ca, templateName, var routeError) = await EnrolmentCaChoice.ChooseAsync(db, caConnectors, actor, policy, request.CaName, request.TemplateName, ct);
            if (routeError is not null)
            {
                return routeError;
            }
        }
        UploadVerdict? upload = null;
        if (plan.Certificate is not null && !(await uploads.CheckAsync(plan.Certificate, policy, ct)).TryGetValue(out upload, out var uploadError))
        {
            return uploadError;
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
        if (await OwnerQuota.CheckAsync(db, owner, policy, ct) is { } quotaReached)
        {
            return quotaReached; // early: no key is made and no CA asked for a request that cannot be kept
        }
        var token = NewToken(actor, owner, plan.Mode, ca?.Name, templateName, request, attested);
        token.UploadTrust = upload?.Trust;

        // Produce: key generation and signing take a turn in the bounded queue; a client that has gone stops here.
        IDisposable? turn = null;
        if (plan.Mode != EnrolmentModes.Certificate && !(await work.EnterAsync(ct)).TryGetValue(out turn, out var busy))
        {
            return busy;
        }
        using var source = await OpenInTurnAsync(turn, plan, owner.UserName, ct);
        CaIssueOutcome outcome;
        EnrolmentResult? result;
        using (turn)
        {
            var issued = await IssueAsync(ca, source, owner, token, subjectComponents, ct);
            if (!issued.TryGetValue(out outcome!, out var issueError))
            {
                return issueError;
            }
            if (outcome is CaIssueOutcome.Failed failed)
            {
                turn?.Dispose();
                return await recorder.SaveFailedAsync(actor, token, failed.Message, attested, ct);
            }
            if (upload?.ApprovalPolicy is not null && outcome is CaIssueOutcome.Issued { Certificate: var uploaded })
            {
                // The certificate is kept with the request, so the approver sees what they approve.
                certificateWriter.Fill(token, uploaded.Certificate);
                outcome = new CaIssueOutcome.Pending(Pending.PendingUploadDecision.NewRequestId());
            }
            result = outcome is CaIssueOutcome.Issued done ? Complete(token, source, done.Certificate, request.Pin) : null;
        }
        ct.ThrowIfCancellationRequested(); // nothing is recorded for a client that has gone

        // Record.
        return await recorder.SaveAsync(actor, new EnrolmentRecord(token, owner, policy, outcome, source, attested), result, ct);
    }

    /// <summary>
    /// Opens the source inside the turn; gives the turn back if that fails. A key is generated on a thread of its own,
    /// at a lower priority: an RSA-4096 key takes seconds, and holding thread-pool threads that long on a small machine
    /// would starve every other request (the pool adds threads only slowly).
    /// </summary>
    private async Task<EnrolmentSource> OpenInTurnAsync(IDisposable? turn, EnrolmentPlan plan, string ownerName, CancellationToken ct)
    {
        try
        {
            ct.ThrowIfCancellationRequested();
            return plan.KeySpec is null
                ? sources.Open(plan, ownerName)
                : await Task.Factory.StartNew(() =>
                {
                    // Below the request threads: a list or a login must not wait behind seconds of RSA-4096 work.
                    Work.BackgroundThreadPriority.Lower();
                    return sources.Open(plan, ownerName);
                }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch
        {
            turn?.Dispose();
            throw;
        }
    }

    /// <summary>privacyIDEA refuses a <c>serial</c> that a token already has; so does the portal, before any key or CA work.</summary>
    private static async Task<PortalError?> ChosenSerialProblemAsync(PortalDbContext db, string? serial, CancellationToken ct)
    {
        if (serial is null)
        {
            return null;
        }
        if (!TokenSerials.IsWellFormed(serial))
        {
            return PortalError.Validation($"serial '{serial}' is not a token serial: 1 to 32 letters, digits, '.', '_' or '-'.");
        }
        return await db.Tokens.AsNoTracking().AnyAsync(t => t.Serial == serial, ct)
            ? PortalError.Validation($"serial '{serial}' is taken: a token with this serial exists.")
            : null;
    }

    private CertificateToken NewToken(Actor actor, CertificateOwner owner, string mode, string? caName, string? templateName,
        EnrolmentRequest request, AttestationReport? attested)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new CertificateToken
        {
            Serial = string.IsNullOrEmpty(request.Serial) ? TokenSerials.New() : request.Serial,
            OwnerId = owner.AccountId,
            OwnerUserName = owner.UserName,
            OwnerRealm = owner.Realm,
            Description = request.Description?.Trim() ?? "",
            EnrolmentMode = mode,
            CaName = caName,
            TemplateName = templateName,
            PinHash = string.IsNullOrEmpty(request.Pin) ? null : TokenPins.Hash(request.Pin),
            AttestationInfo = attested?.TokenInfo,
            CreatedBy = actor.UserName,
            CreatedAt = now,
            UpdatedAt = now,
            Version = Guid.NewGuid(),
        };
    }

    /// <summary>Puts the issued certificate into the token and, for a generated key, builds its PKCS#12.</summary>
    private EnrolmentResult Complete(CertificateToken token, EnrolmentSource source, IssuedCertificate issued, string? pin)
    {
        token.RolloutState = RolloutState.Enrolled;
        certificateWriter.Fill(token, issued.Certificate, source.RequestCsr?.KeyDescription);
        var result = new EnrolmentResult(TokenView.From(token)) { ChainPem = issued.Chain.Select(c => c.ExportCertificatePem()).ToList() };
        if (source is EnrolmentSource.FromGeneratedKey generated)
        {
            var bundle = certificateWriter.AttachPkcs12(token, generated.Key, issued, pin);
            result = result with { Pkcs12 = bundle.Pkcs12, Pkcs12Password = bundle.GeneratedPassword };
        }
        if (source is not EnrolmentSource.FromCertificate)
        {
            // The token holds the PEM now; the native handle goes back at once rather than through the finalizer.
            issued.Certificate.Dispose();
        }
        return result;
    }

    private async Task<Result<CaIssueOutcome>> IssueAsync(ICaConnector? ca, EnrolmentSource source,
        CertificateOwner owner, CertificateToken token, IReadOnlyList<string> subjectComponents, CancellationToken ct)
    {
        switch (source)
        {
            case EnrolmentSource.FromCertificate upload:
                return new CaIssueOutcome.Issued(new IssuedCertificate(upload.Certificate, []));
            case { RequestCsr: { } csr }:
                var issueRequest = new CaIssueRequest(csr, token.TemplateName ?? "", owner)
                {
                    ExtraSubjectComponents = subjectComponents,
                    TokenSerial = token.Serial,
                    KeyGeneratedOnServer = source is EnrolmentSource.FromGeneratedKey,
                };
                try
                {
                    return await ca!.IssueAsync(issueRequest, ct);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "CA connector {CaName} failed while issuing for token {Serial}")]
    private static partial void LogCaFailure(ILogger logger, Exception exception, string caName, string serial);
}
