using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CertTokenPortal.Core.Tokens;

/// <summary>Token serial numbers: "CRT" and 8 random upper-case hex digits, as privacyIDEA names certificate tokens.</summary>
public static partial class TokenSerials
{
    public const string Prefix = "CRT";

    /// <summary>A new random serial. Uniqueness is enforced by the database; a collision is retried by the caller.</summary>
    public static string New() => Prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    public static bool IsWellFormed(string? serial) => serial is not null && SerialPattern().IsMatch(serial);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,32}$")]
    private static partial Regex SerialPattern();
}
