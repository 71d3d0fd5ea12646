using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>Finds configured CA connectors by name and builds them through the factory of their type.</summary>
public interface ICaConnectorRegistry
{
    /// <summary>The connector named <paramref name="name"/>, or a <see cref="ErrorKind.NotFound"/> error naming it.</summary>
    Task<Result<ICaConnector>> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every configured connector, without secrets, for lists and pickers.</summary>
    Task<IReadOnlyList<CaConnectorInfo>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>Creates the connector object of one <see cref="Type"/> from its stored record. One per connector kind.</summary>
public interface ICaConnectorFactory
{
    /// <summary>The connector kind this factory builds, e.g. <c>local</c>.</summary>
    string Type { get; }

    ICaConnector Create(CaConnectorRecord record);
}

/// <summary>A connector as lists show it: never with keys or passwords.</summary>
public sealed record CaConnectorInfo(
    string Name,
    string Type,
    string? Subject,
    string? DefaultTemplate,
    DateTime? NotAfter,
    IReadOnlyList<TemplateInfo> Templates);

/// <summary>A template as pickers show it.</summary>
public sealed record TemplateInfo(
    string Name,
    int ValidityDays,
    IReadOnlyList<string> KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsage,
    bool CopySans,
    IReadOnlyList<string> SubjectComponents)
{
    /// <summary><c>owner</c> or <c>csr</c>: where the certificate's names come from.</summary>
    public string SubjectSource { get; init; } = Tokens.Enrolment.SubjectSources.Owner;
    public IReadOnlyList<string> AllowedRdns { get; init; } = [];
    public IReadOnlyList<string> SanTypes { get; init; } = [];
    public IReadOnlyList<string> DnsPatterns { get; init; } = [];
    public IReadOnlyList<string> EmailPatterns { get; init; } = [];
    public int MaxSans { get; init; } = Tokens.Enrolment.TemplateNameRules.DefaultMaxSans;
    /// <summary>End users may use it only when a policy names it.</summary>
    public bool StaffOnly { get; init; }
    /// <summary>The name rules in one line, e.g. "names from the owner's account".</summary>
    public string NameRules { get; init; } = "";
}
