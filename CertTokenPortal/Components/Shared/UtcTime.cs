using System.Globalization;

namespace CertTokenPortal.Components.Shared;

/// <summary>
/// How the admin pages write instants: UTC, to the minute or second, the same for every viewer, so that what a page
/// shows matches the audit log, the API's ISO 8601 and the certificates themselves.
/// </summary>
public static class UtcTime
{
    public static string Minutes(DateTime? value) => Format(value, "yyyy-MM-dd HH:mm");

    public static string Seconds(DateTime? value) => Format(value, "yyyy-MM-dd HH:mm:ss");

    public static string Date(DateTime? value) => Format(value, "yyyy-MM-dd");

    private static string Format(DateTime? value, string format) =>
        value is { } v ? v.ToUniversalTime().ToString(format, CultureInfo.InvariantCulture) : "—";
}
