using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Adds owner attributes to a requested subject, as privacyIDEA's subject components do: <c>email</c> as emailAddress
/// and <c>realm</c> as OU. The requested RDNs are kept byte for byte (X500DistinguishedNameBuilder would re-encode
/// them and flatten multi-valued RDNs); the new ones are appended.
/// </summary>
public static class SubjectComposer
{
    public const string Email = "email";
    public const string Realm = "realm";
    public static IReadOnlyList<string> Components { get; } = [Email, Realm];

    private const string OrganizationalUnitOid = "2.5.4.11";
    private const string EmailAddressOid = "1.2.840.113549.1.9.1";

    /// <summary>The subject with the components added; a failure when a component has no value for this owner.</summary>
    public static Result<X500DistinguishedName> Compose(X500DistinguishedName requested, IEnumerable<string> components,
        string realm, string? email)
    {
        // OU before emailAddress whatever order they were asked in, so equal requests give equal subjects.
        var wanted = components.Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct()
            .OrderBy(c => c == Realm ? 0 : 1).ToList();
        if (wanted.Count == 0)
        {
            return requested;
        }

        var existing = requested.EnumerateRelativeDistinguishedNames()
            .Where(r => !r.HasMultipleElements)
            .Select(r => (Oid: r.GetSingleElementType().Value, Value: r.GetSingleElementValue()))
            .ToList();
        var additions = new List<(string Oid, string Value, UniversalTagNumber Tag)>();
        foreach (var component in wanted)
        {
            switch (component)
            {
                case Realm:
                    if (string.IsNullOrWhiteSpace(realm))
                    {
                        return PortalError.Validation("The subject should name the owner's realm, but the owner has no realm.");
                    }
                    additions.Add((OrganizationalUnitOid, realm, UniversalTagNumber.UTF8String));
                    break;
                case Email:
                    if (string.IsNullOrWhiteSpace(email))
                    {
                        return PortalError.Validation("The subject should hold the owner's email address, but the owner has none.");
                    }
                    additions.Add((EmailAddressOid, email, UniversalTagNumber.IA5String));
                    break;
                default:
                    return PortalError.Validation($"'{component}' is not a subject component; use email and/or realm.");
            }
        }
        additions.RemoveAll(a => existing.Any(e => e.Oid == a.Oid && string.Equals(e.Value, a.Value, StringComparison.OrdinalIgnoreCase)));
        if (additions.Count == 0)
        {
            return requested;
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var rdns = new AsnReader(requested.RawData, AsnEncodingRules.DER).ReadSequence();
            while (rdns.HasData)
            {
                writer.WriteEncodedValue(rdns.ReadEncodedValue().Span);
            }
            foreach (var (oid, value, tag) in additions)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    writer.WriteCharacterString(tag, value);
                }
            }
        }
        return new X500DistinguishedName(writer.Encode());
    }
}
