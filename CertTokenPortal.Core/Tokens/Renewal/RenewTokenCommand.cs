using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>
/// Renews a token (same key) or rekeys it (new CSR, new server key); the token keeps its serial. The enrolment's
/// three phases: decide (<see cref="RenewalDecider"/>: state, window, policy, template rules), produce (key and CA,
/// in a turn of the work queue, outside any transaction), record (<see cref="RenewalRecorder"/>: one transaction that
/// wins only if the token is unchanged since it was read). A CA that waits for approval leaves the renewal pending
/// and the token keeps its certificate; a refusal or a CA failure writes nothing but the audit entry.
/// </summary>
public sealed partial class RenewTokenCommand(
    IDbContextFactory<PortalDbContext> dbFactory,
    RenewalDecider decider,
    EnrolmentSourceReader sources,
    RenewalRecorder recorder,
    WorkQueue work,
    UseCaseGuard guard,
    ILogger<RenewTokenCommand> logger)
{
    public async Task<Result<RenewalResult>> ExecuteAsync(Actor actor, RenewalRequest request, CancellationToken ct = default) =>
        await guard.RunAsync(actor, null, null,
            refusal => AuditEvent.Failed(AuditName(request.Mode), $"Renewal refused: {refusal.Message}") with { Serial = request.Serial },
            () => RenewAsync(actor, request, ct), ct);

    internal static string AuditName(RenewalMode mode) => mode == RenewalMode.SameKey ? AuditActions.TokenRenew : AuditActions.TokenRekey;

    private async Task<Result<RenewalResult>> RenewAsync(Actor actor, RenewalRequest request, CancellationToken ct)
    {
        if (InputLimits.CheckPin(request.Pin) is { } pinError)
        {
            return pinError;
        }
        if (!TokenSerials.IsWellFormed(request.Serial))
        {
            return PortalError.Validation("Give the serial of the token to renew.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!(await decider.DecideAsync(db, actor, request, ct)).TryGetValue(out var decision, out var refused))
        {
            return refused;
        }

        if (!(await work.EnterAsync(ct)).TryGetValue(out var turn, out var busy))
        {
            return busy;
        }
        Result<CaIssueOutcome> outcome;
        EnrolmentSource source;
        using (turn)
        {
            source = decision.Plan.KeySpec is null
                ? sources.Open(decision.Plan, decision.Owner.UserName)
                : await Task.Factory.StartNew(() => sources.Open(decision.Plan, decision.Owner.UserName), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                outcome = await IssueAsync(decision, source, ct);
            }
            catch
            {
                source.Dispose(); // a generated key goes back at once, not through the finalizer
                throw;
            }
        }
        using (source)
        {
            ct.ThrowIfCancellationRequested(); // a client that has gone gets nothing recorded
            if (!outcome.TryGetValue(out var answer, out var caRefusal))
            {
                return caRefusal; // the CA refused the input (a name, a generated key it cannot keep waiting)
            }
            if (answer is CaIssueOutcome.Failed failed)
            {
                return RenewalErrors.CaFailed(decision.Token.Serial, failed.Message);
            }
            return await recorder.SaveAsync(actor, new RenewalRecord(decision, request, answer, source), ct);
        }
    }

    private async Task<Result<CaIssueOutcome>> IssueAsync(RenewalDecision decision, EnrolmentSource source, CancellationToken ct)
    {
        var request = new CaIssueRequest(source.RequestCsr!, decision.Template.Name, decision.Owner)
        {
            ExtraSubjectComponents = decision.SubjectComponents,
            TokenSerial = decision.Token.Serial,
            KeyGeneratedOnServer = source is EnrolmentSource.FromGeneratedKey,
        };
        try
        {
            return await decision.Ca.IssueAsync(request, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCaFailure(logger, e, decision.Ca.Name, decision.Token.Serial);
            return new CaIssueOutcome.Failed($"the CA '{decision.Ca.Name}' failed: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "CA connector {CaName} failed while renewing token {Serial}")]
    private static partial void LogCaFailure(ILogger logger, Exception exception, string caName, string serial);
}
