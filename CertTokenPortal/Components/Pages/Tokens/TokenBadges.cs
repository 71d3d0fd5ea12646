using CertTokenPortal.Core.Tokens;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Tokens;

/// <summary>How a token's state and expiry look in chips, the same in the grid, on the token page and in My certificates.</summary>
public static class TokenBadges
{
    public const string Revoked = "revoked";

    /// <summary>The state a person cares about first: a revoked token is "revoked", whatever its enrolment reached.</summary>
    public static string StateName(TokenView token) => token.Revoked ? Revoked : token.RolloutState.ToName();

    public static Color StateColor(TokenView token) => token.Revoked
        ? Color.Dark
        : token.RolloutState switch
        {
            RolloutState.Enrolled => Color.Success,
            RolloutState.Pending => Color.Info,
            RolloutState.Denied => Color.Warning,
            RolloutState.Failed => Color.Error,
            _ => Color.Default,
        };

    public static string StateIcon(TokenView token) => token.Revoked
        ? Icons.Material.Filled.Block
        : token.RolloutState switch
        {
            RolloutState.Enrolled => Icons.Material.Filled.Verified,
            RolloutState.Pending => Icons.Material.Filled.HourglassTop,
            RolloutState.Denied => Icons.Material.Filled.DoNotDisturbOn,
            _ => Icons.Material.Filled.ErrorOutline,
        };

    /// <summary>
    /// The expiry chip: red under 7 days, orange under 30, green beyond; grey when there is nothing to act on (no
    /// certificate, already expired, or revoked, whose expiry no longer matters).
    /// </summary>
    public static (string Text, Color Color) Expiry(TokenView token, DateTime nowUtc)
    {
        if (token.DaysUntilExpiry(nowUtc) is not { } days)
        {
            return ("no certificate", Color.Default);
        }
        if (token.NotAfter <= nowUtc)
        {
            return ("expired", Color.Default);
        }
        var text = days switch
        {
            0 => "expires today",
            1 => "expires in 1 day",
            _ => $"expires in {days} days",
        };
        if (token.Revoked)
        {
            return (text, Color.Default);
        }
        return (text, days < 7 ? Color.Error : days < 30 ? Color.Warning : Color.Success);
    }
}
