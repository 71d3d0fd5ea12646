namespace CertTokenPortal.Core.Policies;

/// <summary>A policy as the Policies page and <c>GET /policy/</c> show it.</summary>
public sealed record PolicyView(
    string Name,
    string Scope,
    string Action,
    IReadOnlyList<string> Realms,
    IReadOnlyList<string> Roles,
    int Priority,
    bool Active,
    DateTime UpdatedAt,
    string UpdatedBy)
{
    public static PolicyView From(EnrolmentPolicy p) =>
        new(p.Name, p.Scope, p.Action, PolicyLists.Split(p.Realms), PolicyLists.Split(p.Roles), p.Priority, p.Active, p.UpdatedAt, p.UpdatedBy);

    /// <summary>The explanation lines of this policy alone, as if it were the only one.</summary>
    public IReadOnlyList<string> Explain() =>
        PolicyActions.Parse(Action).TryGetValue(out _, out _)
            ? EffectivePolicyResolver.Combine([new EnrolmentPolicy { Name = Name, Action = Action, Priority = Priority }]).Explain()
            : [];
}

/// <summary>A policy as an admin submits it (API parameters or the editor's fields).</summary>
public sealed record PolicyRequest(string Name, string? Action)
{
    /// <summary>Absent: <c>enrollment</c>.</summary>
    public string? Scope { get; init; }
    /// <summary>Comma-separated; empty means every realm.</summary>
    public string? Realms { get; init; }
    /// <summary>Comma-separated user, helpdesk, admin; empty means every role.</summary>
    public string? Roles { get; init; }
    public int Priority { get; init; } = 1;
    public bool Active { get; init; } = true;
}
