using System.ComponentModel.DataAnnotations;

namespace CertTokenPortal.Core.Persistence;

/// <summary>The database engine behind <c>ConnectionStrings:Portal</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file (default): one portal instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: one or several portal instances.</summary>
    PostgreSql,
}

/// <summary>The <c>Portal:Database</c> section: which database engine the portal talks to.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Portal:Database";

    /// <summary><c>sqlite</c> (default) or <c>postgresql</c>.</summary>
    [Required]
    public string Provider { get; set; } = "sqlite";

    /// <summary>The provider named by <paramref name="configured"/>; null when it is neither name.</summary>
    public static DatabaseProvider? Parse(string? configured) => configured?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgresql" or "postgres" or "npgsql" => DatabaseProvider.PostgreSql,
        _ => null,
    };
}
