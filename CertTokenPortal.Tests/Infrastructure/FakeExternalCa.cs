using System.Collections.Concurrent;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// A stand-in for an external CA that decides on its own (like a Microsoft CA with manager approval): every request
/// stays pending until the test puts an answer into <see cref="Answers"/>, which the poller then fetches.
/// </summary>
public sealed class FakeExternalCa : ICaConnectorFactory
{
    public const string TypeName = "fake-external";

    public string Type => TypeName;

    /// <summary>The CA's decisions by request id; absent means still pending.</summary>
    public ConcurrentDictionary<string, CaIssueOutcome> Answers { get; } = new();

    /// <summary>How often the poller asked.</summary>
    public int Checks => _checks;

    private int _checks;

    public ICaConnector Create(CaConnectorRecord record) => new Connector(record, this);

    private sealed class Connector(CaConnectorRecord record, FakeExternalCa ca) : ICaConnector, IPendingRequestSource
    {
        public string Name => record.Name;

        public string Type => TypeName;

        public string? DefaultTemplate => record.DefaultTemplate;

        public Task<Result<CaIssueOutcome>> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken) =>
            Task.FromResult<Result<CaIssueOutcome>>(new CaIssueOutcome.Pending($"EXT-{Guid.NewGuid():N}"));

        public Task<Result> RevokeAsync(CaRevokeRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(Result.Success());

        public Task<CaIssueOutcome> CheckAsync(string requestId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref ca._checks);
            return Task.FromResult(ca.Answers.TryGetValue(requestId, out var answer) ? answer : new CaIssueOutcome.Pending(requestId));
        }
    }
}
