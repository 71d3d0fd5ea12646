using System.Security.Cryptography;

namespace CertTokenPortal.Core.Identity;

/// <summary>Random passwords from a cryptographic generator.</summary>
public static class PasswordGenerator
{
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";
    private const string Symbols = "-_.~";
    private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>
    /// A login password that satisfies any sensible rule set: 20 characters with every character class,
    /// without look-alike characters (0/O, 1/l/I) so it can be typed from a log line.
    /// </summary>
    public static string NewLoginPassword(int length = 20)
    {
        const string all = Lower + Upper + Digits + Symbols;
        while (true)
        {
            var candidate = RandomNumberGenerator.GetString(all, length);
            if (candidate.Any(Lower.Contains) && candidate.Any(Upper.Contains) &&
                candidate.Any(Digits.Contains) && candidate.Any(Symbols.Contains))
            {
                return candidate;
            }
        }
    }

    /// <summary>A URL-safe random password (for PKCS#12 files protected without a PIN); 22 characters carry 132 bits.</summary>
    public static string NewUrlSafePassword(int length = 22) => RandomNumberGenerator.GetString(UrlSafe, length);
}
