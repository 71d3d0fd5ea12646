namespace CertTokenPortal.Core.Pki;

/// <summary>The CRL reason codes of RFC 5280 section 5.3.1 that the portal accepts (the numbers are the codes).</summary>
public enum RevocationReason
{
    Unspecified = 0,
    KeyCompromise = 1,
    CaCompromise = 2,
    AffiliationChanged = 3,
    Superseded = 4,
    CessationOfOperation = 5,
    CertificateHold = 6,
    PrivilegeWithdrawn = 9,
}

/// <summary>RFC 5280 names of <see cref="RevocationReason"/>, as the API takes and returns them.</summary>
public static class RevocationReasons
{
    private static readonly Dictionary<RevocationReason, string> Names = new()
    {
        [RevocationReason.Unspecified] = "unspecified",
        [RevocationReason.KeyCompromise] = "keyCompromise",
        [RevocationReason.CaCompromise] = "cACompromise",
        [RevocationReason.AffiliationChanged] = "affiliationChanged",
        [RevocationReason.Superseded] = "superseded",
        [RevocationReason.CessationOfOperation] = "cessationOfOperation",
        [RevocationReason.CertificateHold] = "certificateHold",
        [RevocationReason.PrivilegeWithdrawn] = "privilegeWithdrawn",
    };

    public static IReadOnlyCollection<string> AllNames => Names.Values;

    public static string ToName(this RevocationReason reason) => Names[reason];

    /// <summary>Parses an RFC 5280 name (case-insensitive); an absent reason means <c>unspecified</c>.</summary>
    public static bool TryParse(string? name, out RevocationReason reason)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            reason = RevocationReason.Unspecified;
            return true;
        }
        foreach (var (candidate, candidateName) in Names)
        {
            if (string.Equals(candidateName, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                reason = candidate;
                return true;
            }
        }
        reason = default;
        return false;
    }
}
