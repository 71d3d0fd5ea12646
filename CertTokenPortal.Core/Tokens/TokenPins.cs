using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Core.Tokens;

/// <summary>Token PINs are kept only as salted PBKDF2 hashes (Identity's password hasher), never in plain text.</summary>
public static class TokenPins
{
    private static readonly PasswordHasher<CertificateToken> Hasher = new();
    private static readonly CertificateToken Nobody = new();

    public static string Hash(string pin) => Hasher.HashPassword(Nobody, pin);

    public static bool Verify(string? hash, string pin) =>
        hash is not null && Hasher.VerifyHashedPassword(Nobody, hash, pin) != PasswordVerificationResult.Failed;
}
