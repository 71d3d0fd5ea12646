using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// privacyIDEA's <c>/token/assign</c>: gives a token without owner to a user of a realm. Staff only (the role table's
/// enrol-for-others); a token that has an owner is refused, as privacyIDEA refuses it, rather than moved silently.
/// </summary>
public sealed class AssignTokenCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, string userName, string realm, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.EnrolForOthers, PortalError.Forbidden("Only admins and helpdesk staff may assign tokens."),
            refusal => AuditEvent.Failed(AuditActions.TokenUpdate, $"Assigning token {serial} to {userName}@{realm} refused: {refusal.Message}") with { Serial = serial },
            () => AssignAsync(actor, serial, userName, realm, ct), ct);

    private async Task<Result<TokenView>> AssignAsync(Actor actor, string serial, string userName, string realm, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            return PortalError.Validation("Give the user to assign the token to ('user', or 'user' and 'realm').");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = TokenSerials.IsWellFormed(serial) ? await db.Tokens.FirstOrDefaultAsync(t => t.Serial == serial, ct) : null;
        if (token is null)
        {
            return TokenAccess.NotFound(serial);
        }
        if (token.OwnerUserName.Length > 0)
        {
            return PortalError.Validation($"Token {serial} is already assigned to a user; unassign it first.");
        }
        var account = await db.Users.AsNoTracking()
            .Where(u => u.UserName == userName.Trim() && (realm == "" || u.Realm == realm.Trim()))
            .Select(u => new { u.Id, u.UserName, u.Realm }).FirstOrDefaultAsync(ct);
        if (account is null)
        {
            return PortalError.Validation($"There is no user '{userName}'{(realm == "" ? "" : $" in realm '{realm}'")}.");
        }
        token.OwnerId = account.Id;
        token.OwnerUserName = account.UserName!;
        token.OwnerRealm = account.Realm;
        token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        token.Version = Guid.NewGuid();
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenUpdate, $"Token {serial} assigned to {account.UserName}@{account.Realm}.").For(token));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return PortalError.Conflict($"Token {serial} was changed at the same moment by someone else; reload and try again.");
        }
        return TokenView.From(token);
    }
}
