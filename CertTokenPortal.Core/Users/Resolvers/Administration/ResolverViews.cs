namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>A resolver as lists show it: its settings in privacyIDEA's names, never the bind password.</summary>
public sealed record ResolverView(string Name, string Type, IReadOnlyDictionary<string, string> Settings, bool HasBindPassword);

/// <summary>A realm with its resolvers in the order they are asked.</summary>
public sealed record RealmView(string Name, bool IsDefault, IReadOnlyList<RealmMember> Resolvers);

/// <summary>What an admin sends to create or change a resolver: its name, type and the type's parameters.</summary>
public sealed record ResolverRequest(string Name, string? Type, IReadOnlyDictionary<string, string?> Parameters);

/// <summary>What an admin sends to create or change a realm: resolver names and optional priorities.</summary>
public sealed record RealmRequest(string Name, IReadOnlyList<string> Resolvers, IReadOnlyDictionary<string, int> Priorities);
