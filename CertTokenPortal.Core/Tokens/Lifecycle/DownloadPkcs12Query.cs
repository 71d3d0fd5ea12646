using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>Hands out the stored PKCS#12 of a token whose key was generated on the server: to an admin or the owner.</summary>
public sealed class DownloadPkcs12Query(IDbContextFactory<PortalDbContext> dbFactory, ISecretProtector secrets, IAuditLog audit, UseCaseGuard guard)
{
    public Task<Result<byte[]>> ExecuteAsync(Actor actor, string serial, CancellationToken ct = default) =>
        guard.RunAsync(actor, null, null,
            refusal => AuditEvent.Failed(AuditActions.TokenDownloadPkcs12, $"Download refused: {refusal.Message}") with { Serial = serial },
            () => DownloadAsync(actor, serial, ct), ct);

    private async Task<Result<byte[]>> DownloadAsync(Actor actor, string serial, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = TokenSerials.IsWellFormed(serial) ? await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == serial, ct) : null;
        var error = token is null
            ? TokenAccess.NotFound(serial ?? "")
            : TokenAccess.CheckDownloadPkcs12(actor, token)
              ?? (token.EncryptedPkcs12 is null ? PortalError.NotFound($"Token {serial} has no stored PKCS#12: its key was not generated on the server.") : null);
        if (error is not null)
        {
            return error;
        }

        var pkcs12 = secrets.Unprotect(SecretPurposes.TokenPkcs12, token!.EncryptedPkcs12!);
        await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.TokenDownloadPkcs12, $"Downloaded the PKCS#12 of token {serial}.").For(token), ct);
        return pkcs12;
    }
}
