using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Dashboard;

/// <summary>
/// The first steps of a fresh install, each ticked from what is really there: the first admin's password changed since
/// seeding (its security stamp is no longer the seeded one), users connected (a second account or a user resolver), a
/// certificate enrolled. Admins only: they are the ones who can do all three.
/// </summary>
public sealed class FirstRunChecklistQuery(IDbContextFactory<PortalDbContext> dbFactory, IOptions<AdminOptions> admin, UseCaseGuard guard)
{
    public Task<Result<FirstRunChecklist>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageUsers, PortalError.Forbidden("Only admins see the first-run checklist."), refusal: null,
            () => ReadAsync(actor, ct), ct);

    private async Task<Result<FirstRunChecklist>> ReadAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var adminName = admin.Value.UserName.ToUpperInvariant();
        var firstAdmin = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == adminName)
            .Select(u => new
            {
                u.SecurityStamp,
                Seeded = db.UserTokens.Where(t => t.UserId == u.Id && t.LoginProvider == FirstRunMarks.Provider &&
                                                  t.Name == FirstRunMarks.SeededSecurityStamp).Select(t => t.Value).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        // An admin account gone, or seeded before the stamp was kept (no mark): nothing says the seeded password is still in use.
        var passwordChanged = firstAdmin?.Seeded is null || firstAdmin.SecurityStamp != firstAdmin.Seeded;
        var usersConnected = await db.Users.CountAsync(ct) > 1 || await db.Resolvers.AnyAsync(ct);
        var enrolled = await db.Tokens.AnyAsync(t => t.RolloutState == RolloutState.Enrolled, ct);

        var me = actor.UserName.ToUpperInvariant();
        var dismissed = await db.UserTokens.AnyAsync(t => t.LoginProvider == FirstRunMarks.Provider && t.Name == FirstRunMarks.ChecklistDismissed &&
                                                          db.Users.Any(u => u.Id == t.UserId && u.NormalizedUserName == me), ct);
        return new FirstRunChecklist(
        [
            new FirstRunItem("password", "Change the first admin's password", passwordChanged, "account/password"),
            new FirstRunItem("users", "Connect your users (add a user or a directory resolver)", usersConnected, "users"),
            new FirstRunItem("enrol", "Enrol a test certificate", enrolled, "enrol"),
        ], dismissed);
    }
}

/// <summary>One step of the first-run checklist and the page that does it (a path relative to the portal's base).</summary>
public sealed record FirstRunItem(string Key, string Text, bool Done, string Href);

/// <summary>The checklist; shown while a step is open and the person has not dismissed it.</summary>
public sealed record FirstRunChecklist(IReadOnlyList<FirstRunItem> Items, bool Dismissed)
{
    public bool Visible => !Dismissed && Items.Any(i => !i.Done);
}
