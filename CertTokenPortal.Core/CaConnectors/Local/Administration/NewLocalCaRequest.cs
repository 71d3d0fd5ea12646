using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.CaConnectors.Local.Administration;

/// <summary>What every new local CA, root or subordinate, is made of.</summary>
public abstract record NewLocalCaRequest(string Name, string Subject)
{
    /// <summary><c>rsa</c> (default) or <c>ec</c>.</summary>
    public string? KeyType { get; init; }
    /// <summary>3072 (default) or 4096 for RSA.</summary>
    public string? KeySize { get; init; }
    /// <summary>P-256 (default) or P-384 for EC.</summary>
    public string? Curve { get; init; }
    /// <summary>How long the CA certificate is valid; each kind has its own default.</summary>
    public abstract int ValidityDays { get; init; }
    public int CrlValidityDays { get; init; } = 7;
    public int CrlOverlapDays { get; init; } = 2;

    /// <summary>
    /// Checks the fields every new local CA has, one refusal at a time in one order (name, validity_days, CRL days,
    /// key, subject), and gives the parsed key and subject.
    /// </summary>
    internal Result<NewLocalCaParts> Check()
    {
        var invalid = CaRules.CheckName(Name)
                      ?? CaRules.CheckValidityDays(ValidityDays, "validity_days")
                      ?? CaRules.CheckCrlDays(CrlValidityDays, CrlOverlapDays);
        var key = CaRules.ParseCaKey(KeyType, KeySize, Curve);
        var subject = CaRules.ParseSubject(Subject);
        invalid ??= key.Error ?? subject.Error;
        return invalid is null ? new NewLocalCaParts(key.Value, subject.Value) : invalid;
    }
}

/// <summary>The key and subject of a new local CA, parsed and checked.</summary>
internal sealed record NewLocalCaParts(KeySpec Key, X500DistinguishedName Subject);
