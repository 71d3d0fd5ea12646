using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Listing;

namespace CertTokenPortal.Components.Pages.Tokens;

/// <summary>
/// The filters of the token grid as the person set them. One object feeds both the grid's pages and the CSV export,
/// so the file holds exactly what the grid shows.
/// </summary>
public sealed class TokenFilter
{
    /// <summary>The states a person filters by: the enrolment states, and "revoked" (see <see cref="TokenBadges.StateName"/>).</summary>
    public static IReadOnlyList<string> States { get; } =
        [.. Enum.GetValues<RolloutState>().Select(s => s.ToName()), TokenBadges.Revoked];

    public string? Search { get; set; }
    public string? Serial { get; set; }
    public string? UserName { get; set; }
    public string? Realm { get; set; }
    public string? Subject { get; set; }
    public string? CaName { get; set; }
    public string? TemplateName { get; set; }
    public string? State { get; set; }
    /// <summary>First day (UTC) on which the certificate may expire.</summary>
    public DateTime? NotAfterFrom { get; set; }
    /// <summary>Last day (UTC) on which the certificate may expire; the whole day counts.</summary>
    public DateTime? NotAfterTo { get; set; }
    /// <summary>Certificates in use that expire within this many days (the dashboard's expiry cards open the grid with it).</summary>
    public int? ExpiresWithinDays { get; set; }

    /// <summary>How many filters besides the quick search are set, for the badge on the filter button.</summary>
    public int Count =>
        new[] { Serial, UserName, Realm, Subject, CaName, TemplateName, State }.Count(v => !string.IsNullOrWhiteSpace(v)) +
        (NotAfterFrom is null ? 0 : 1) + (NotAfterTo is null ? 0 : 1) + (ExpiresWithinDays is null ? 0 : 1);

    public void Clear()
    {
        Serial = UserName = Realm = Subject = CaName = TemplateName = State = null;
        NotAfterFrom = NotAfterTo = null;
        ExpiresWithinDays = null;
    }

    public TokenQuery ToQuery(int page = 1, int pageSize = TokenQuery.DefaultPageSize,
        TokenSortField sortBy = TokenSortField.Serial, bool descending = false)
    {
        // "enrolled" means enrolled and still valid: a revoked token shows as revoked, so it is not listed as enrolled.
        RolloutState? rollout = null;
        bool? revoked = null;
        if (State == TokenBadges.Revoked)
        {
            revoked = true;
        }
        else if (RolloutStateNames.TryParse(State, out var state))
        {
            rollout = state;
            revoked = state == RolloutState.Enrolled ? false : null;
        }

        return new TokenQuery
        {
            Search = Search,
            Serial = Serial,
            UserName = UserName,
            Realm = Realm,
            Subject = Subject,
            CaName = CaName,
            TemplateName = TemplateName,
            RolloutState = rollout,
            Revoked = revoked,
            NotAfterFrom = NotAfterFrom?.Date is { } from ? DateTime.SpecifyKind(from, DateTimeKind.Utc) : null,
            NotAfterTo = NotAfterTo?.Date is { } to ? DateTime.SpecifyKind(to.AddDays(1).AddTicks(-1), DateTimeKind.Utc) : null,
            ExpiresWithinDays = ExpiresWithinDays is > 0 and <= TokenQuery.MaxExpiresWithinDays ? ExpiresWithinDays : null,
            Page = page,
            PageSize = pageSize,
            SortBy = sortBy,
            Descending = descending,
        };
    }
}
