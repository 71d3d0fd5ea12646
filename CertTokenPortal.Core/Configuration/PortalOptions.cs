using System.ComponentModel.DataAnnotations;

namespace CertTokenPortal.Core.Configuration;

/// <summary>The <c>Portal</c> section: where the portal keeps its data and how it names itself.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The folder for the SQLite file and the Data Protection key ring; relative paths are under the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The base of the CRL, CA certificate and OCSP URLs written into issued certificates.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>The realm of users created without one.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Portal:DefaultRealm may hold letters, digits, '.', '_' and '-' only.")]
    public string DefaultRealm { get; set; } = "default";
}

/// <summary>The <c>Portal:Admin</c> section: the first admin, created on first start.</summary>
public sealed class AdminOptions
{
    public const string Section = "Portal:Admin";

    [Required]
    public string UserName { get; set; } = "admin";

    /// <summary>When absent, a random password is generated on first start and written once to the log.</summary>
    public string? Password { get; set; }

    public string? Email { get; set; }
}

/// <summary>
/// The <c>Portal:Lockout</c> section: after how many failed logins of one account from one client address that
/// address must wait (doubling with each further failure), and the longest wait.
/// </summary>
public sealed class LockoutSettings
{
    public const string Section = "Portal:Lockout";

    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(1, 1440)]
    public int Minutes { get; set; } = 15;
}

/// <summary>The <c>Portal:Sessions</c> section: how soon a changed account ends its open sessions.</summary>
public sealed class SessionSettings
{
    public const string Section = "Portal:Sessions";

    /// <summary>
    /// How long an account's state (lock, role, security stamp) is trusted before it is read again, and how often an
    /// open browser page checks its login: the longest a locked, demoted or deleted account keeps working.
    /// </summary>
    [Range(1, 300)]
    public int CheckSeconds { get; set; } = 5;
}

/// <summary>
/// The <c>Portal:DataProtection</c> section: a certificate (PKCS#12 with its private key) that encrypts the Data
/// Protection key ring at rest, wherever the ring is kept. Absent: the ring is protected by file permissions only.
/// </summary>
public sealed class DataProtectionSettings
{
    public const string Section = "Portal:DataProtection";

    /// <summary>Path of a PKCS#12 (.pfx/.p12) file holding the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The same PKCS#12 as base64, for secrets handed over in the environment instead of a file.</summary>
    public string? CertificateBase64 { get; set; }

    /// <summary>The PKCS#12 password (best given in the environment: <c>Portal__DataProtection__CertificatePassword</c>).</summary>
    public string? CertificatePassword { get; set; }
}
