using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>
/// Puts the stored PKCS#12 into tokens as privacyIDEA's certificate token shows it in <c>info.pkcs12</c> (base64),
/// but only into those the caller may download (admins, the owner): the files of everyone else are never read, so a
/// helpdesk listing costs no blob reads. The file stays protected by its PIN; the portal's own encryption is removed.
/// </summary>
public sealed class StoredPkcs12s(ISecretProtector secrets)
{
    /// <summary>The tokens with <see cref="TokenView.Pkcs12Base64"/> filled where allowed, and the serials that got it.</summary>
    public async Task<(List<TokenView> Tokens, List<string> HandedOut)> AttachAsync(
        PortalDbContext db, Actor actor, IReadOnlyList<TokenView> tokens, CancellationToken ct)
    {
        var ids = tokens.Where(t => t.HasPkcs12 && TokenAccess.CheckDownloadPkcs12(actor, t) is null).Select(t => t.Id).ToList();
        if (ids.Count == 0)
        {
            return (tokens.ToList(), []);
        }
        var files = await db.Tokens.AsNoTracking()
            .Where(t => ids.Contains(t.Id) && t.EncryptedPkcs12 != null)
            .Select(t => new { t.Id, t.EncryptedPkcs12 })
            .ToDictionaryAsync(t => t.Id, t => t.EncryptedPkcs12!, ct);
        var handedOut = new List<string>();
        var result = tokens.Select(t =>
        {
            if (!files.TryGetValue(t.Id, out var encrypted))
            {
                return t;
            }
            handedOut.Add(t.Serial);
            return t with { Pkcs12Base64 = Convert.ToBase64String(secrets.Unprotect(SecretPurposes.TokenPkcs12, encrypted)) };
        }).ToList();
        return (result, handedOut);
    }
}
