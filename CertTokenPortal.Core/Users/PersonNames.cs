using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Users;

/// <summary>
/// The names of a person as privacyIDEA's user attributes call them (<c>givenname</c>, <c>surname</c>) plus the
/// display name people read. All optional; an empty one is absent.
/// </summary>
public sealed record PersonNames(string? GivenName = null, string? Surname = null, string? DisplayName = null)
{
    public const int MaxNameLength = 128;
    public const int MaxDisplayNameLength = 256;

    public static PersonNames None { get; } = new();

    /// <summary>
    /// The name a certificate's CN or a list shows: the display name, else "given surname", else null. Directories
    /// often fill only the given name and surname, so the two stand in for a missing display name.
    /// </summary>
    public static string? Effective(string? displayName, string? givenName, string? surname)
    {
        if (!string.IsNullOrWhiteSpace(displayName))
        {
            return displayName.Trim();
        }
        var joined = $"{givenName?.Trim()} {surname?.Trim()}".Trim();
        return joined.Length == 0 ? null : joined;
    }

    public string? Effective() => Effective(DisplayName, GivenName, Surname);

    /// <summary>Trims each name (empty becomes null) and refuses ones too long or holding control characters, naming the field.</summary>
    public Result<PersonNames> Normalise()
    {
        string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        var names = new PersonNames(Clean(GivenName), Clean(Surname), Clean(DisplayName));
        foreach (var (field, value, max) in new[]
                 {
                     ("givenname", names.GivenName, MaxNameLength), ("surname", names.Surname, MaxNameLength),
                     ("displayname", names.DisplayName, MaxDisplayNameLength),
                 })
        {
            if (value is null)
            {
                continue;
            }
            if (value.Length > max)
            {
                return UserErrors.NameTooLong(field, max);
            }
            // A name goes into certificate subjects and mails: line breaks and other control characters have no place there.
            if (!InputLimits.IsCleanText(value) || value.Any(char.IsControl))
            {
                return UserErrors.NameNotPrintable(field);
            }
        }
        return names;
    }
}
