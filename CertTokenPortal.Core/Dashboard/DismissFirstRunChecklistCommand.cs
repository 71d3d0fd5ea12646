using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Dashboard;

/// <summary>
/// Hides the first-run checklist for the calling admin for good, on every portal instance: the mark is a row in the
/// database, not in one browser or one process.
/// </summary>
public sealed class DismissFirstRunChecklistCommand(IDbContextFactory<PortalDbContext> dbFactory, UseCaseGuard guard)
{
    public Task<Result> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageUsers, PortalError.Forbidden("Only admins see the first-run checklist."), refusal: null,
            () => DismissAsync(actor, ct), ct);

    private async Task<Result> DismissAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = actor.UserName.ToUpperInvariant();
        var userId = await db.Users.Where(u => u.NormalizedUserName == me).Select(u => u.Id).FirstOrDefaultAsync(ct);
        if (userId is null)
        {
            return PortalError.NotFound($"There is no account '{actor.UserName}'.");
        }
        if (await IsDismissedAsync(db, userId, ct))
        {
            return Result.Success();
        }
        db.UserTokens.Add(new IdentityUserToken<string>
        {
            UserId = userId, LoginProvider = FirstRunMarks.Provider, Name = FirstRunMarks.ChecklistDismissed, Value = "1",
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The key: dismissed a moment ago in another tab or instance, which is just as good.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            if (!await IsDismissedAsync(again, userId, ct))
            {
                throw;
            }
        }
        return Result.Success();
    }

    private static Task<bool> IsDismissedAsync(PortalDbContext db, string userId, CancellationToken ct) =>
        db.UserTokens.AsNoTracking().AnyAsync(t => t.UserId == userId && t.LoginProvider == FirstRunMarks.Provider &&
                                                   t.Name == FirstRunMarks.ChecklistDismissed, ct);
}
