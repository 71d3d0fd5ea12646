using CertTokenPortal.Core.Identity;

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

    // The words a helpdesk agent would use with the user; the RFC name stays beside them in small print.
    private static readonly Dictionary<RevocationReason, (string Label, string Explanation)> Texts = new()
    {
        [RevocationReason.Unspecified] = ("No particular reason", "No reason is given to relying parties."),
        [RevocationReason.KeyCompromise] = ("Key compromise", "The private key was lost, stolen or exposed."),
        [RevocationReason.CaCompromise] = ("CA compromise", "The issuing CA's own key was compromised (admins only)."),
        [RevocationReason.AffiliationChanged] = ("Affiliation changed", "The owner's name or organisation changed."),
        [RevocationReason.Superseded] = ("Superseded", "A new certificate replaces this one."),
        [RevocationReason.CessationOfOperation] = ("No longer needed", "The certificate is no longer needed."),
        [RevocationReason.CertificateHold] = ("Temporarily on hold (certificate hold)",
            "Suspended for now: the certificate is listed as revoked until staff (admins or helpdesk) release the hold on the token page; then it is valid again."),
        [RevocationReason.PrivilegeWithdrawn] = ("Privilege withdrawn", "The owner lost the right to use this certificate."),
    };

    public static IReadOnlyCollection<string> AllNames => Names.Values;

    /// <summary>Every reason, in the order the RFC numbers them.</summary>
    public static IReadOnlyCollection<RevocationReason> All => Names.Keys;

    /// <summary>The reasons <paramref name="actor"/> may give: CA compromise speaks for the whole CA, so only admins may.</summary>
    public static IReadOnlyList<RevocationReason> OfferedTo(Actor actor) => All.Where(r => MayGive(actor, r)).ToList();

    /// <summary>Whether <paramref name="actor"/> may revoke with <paramref name="reason"/>.</summary>
    public static bool MayGive(Actor actor, RevocationReason reason) =>
        reason != RevocationReason.CaCompromise || actor.Allows(Permission.RevokeForCaCompromise);

    /// <summary>The reason in plain words ("Key compromise").</summary>
    public static string Label(this RevocationReason reason) => Texts[reason].Label;

    /// <summary>One sentence on when the reason fits and what follows from it.</summary>
    public static string Explanation(this RevocationReason reason) => Texts[reason].Explanation;

    /// <summary>The plain-words label of a stored RFC name; the name itself when it is not one (older rows).</summary>
    public static string LabelOf(string? name) =>
        !string.IsNullOrWhiteSpace(name) && TryParse(name, out var reason) ? reason.Label() : name ?? "";

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
