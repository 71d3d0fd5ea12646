namespace CertTokenPortal.Core.Tokens;

/// <summary>Where a token's enrolment stands, with privacyIDEA's names (see <see cref="RolloutStateNames"/>).</summary>
public enum RolloutState
{
    /// <summary>The certificate was issued (or uploaded) and is held by the token.</summary>
    Enrolled,
    /// <summary>The CA has not decided yet; the token holds no certificate.</summary>
    Pending,
    /// <summary>The CA (or an approver) refused the request.</summary>
    Denied,
    /// <summary>The CA failed; the token keeps the CA's message.</summary>
    Failed,
}

/// <summary>The lower-case names of <see cref="RolloutState"/> used in the API and the database.</summary>
public static class RolloutStateNames
{
    public static string ToName(this RolloutState state) => state switch
    {
        RolloutState.Enrolled => "enrolled",
        RolloutState.Pending => "pending",
        RolloutState.Denied => "denied",
        RolloutState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParse(string? name, out RolloutState state)
    {
        foreach (var candidate in Enum.GetValues<RolloutState>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }
}
