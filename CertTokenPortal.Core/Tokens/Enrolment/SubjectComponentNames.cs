using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>The owner attributes that may be added to a generated subject, as privacyIDEA names them.</summary>
public static class SubjectComponentNames
{
    public const string Email = "email";
    public const string Realm = "realm";

    public static IReadOnlyList<string> All { get; } = [Email, Realm];

    /// <summary>Reads "email,realm" or "email realm"; unknown names are a validation error.</summary>
    public static Result<IReadOnlyList<string>> Read(string? value)
    {
        var names = Parse(value);
        var unknown = names.Where(n => !All.Contains(n)).ToList();
        return unknown.Count == 0
            ? Result<IReadOnlyList<string>>.Success(names)
            : PortalError.Validation($"Unknown subject component(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; use email and/or realm.");
    }

    public static IReadOnlyList<string> Parse(string? value) =>
        (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).Distinct().ToList();
}
