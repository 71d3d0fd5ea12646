using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Reads and writes the GeneralNames of a subjectAltName extension. .NET's <see cref="X509SubjectAlternativeNameExtension"/>
/// only enumerates DNS names and IP addresses, so email, UPN and URI entries are read here with the ASN.1 reader.
/// </summary>
internal static class SubjectAltNames
{
    public const string ExtensionOid = "2.5.29.17";
    private const string UpnOid = "1.3.6.1.4.1.311.20.2.3";

    private static readonly Asn1Tag OtherName = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Rfc822Name = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag DnsName = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag Uri = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag IpAddress = new(TagClass.ContextSpecific, 7);

    /// <summary>The names of the SAN extension among <paramref name="extensions"/> (none when there is none).</summary>
    public static IReadOnlyList<SubjectAltName> Read(IEnumerable<X509Extension> extensions)
    {
        var san = extensions.FirstOrDefault(e => e.Oid?.Value == ExtensionOid);
        return san is null ? [] : Read(san.RawData);
    }

    /// <exception cref="CryptographicException">The extension is not well-formed.</exception>
    public static IReadOnlyList<SubjectAltName> Read(byte[] extensionValue)
    {
        var names = new List<SubjectAltName>();
        try
        {
            var sequence = new AsnReader(extensionValue, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.HasSameClassAndValue(DnsName))
                {
                    names.Add(new("DNS", sequence.ReadCharacterString(UniversalTagNumber.IA5String, DnsName)));
                }
                else if (tag.HasSameClassAndValue(Rfc822Name))
                {
                    names.Add(new("email", sequence.ReadCharacterString(UniversalTagNumber.IA5String, Rfc822Name)));
                }
                else if (tag.HasSameClassAndValue(Uri))
                {
                    names.Add(new("URI", sequence.ReadCharacterString(UniversalTagNumber.IA5String, Uri)));
                }
                else if (tag.HasSameClassAndValue(IpAddress))
                {
                    names.Add(new("IP", new IPAddress(sequence.ReadOctetString(IpAddress)).ToString()));
                }
                else if (tag.HasSameClassAndValue(OtherName))
                {
                    var other = sequence.ReadSequence(OtherName);
                    var typeId = other.ReadObjectIdentifier();
                    var value = other.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                    if (typeId == UpnOid)
                    {
                        names.Add(new("UPN", value.ReadCharacterString(UniversalTagNumber.UTF8String)));
                    }
                }
                else
                {
                    sequence.ReadEncodedValue(); // directoryName, x400Address...: not copied into certificates
                }
            }
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException)
        {
            throw new CryptographicException("The subjectAltName extension is not well-formed.", e);
        }
        return names;
    }

    /// <summary>A SAN extension holding the given names (already judged by the template's rules), or null.</summary>
    public static X509Extension? Build(IEnumerable<SubjectAltName> names)
    {
        var builder = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var name in names)
        {
            switch (name.Kind)
            {
                case "DNS":
                    builder.AddDnsName(name.Value);
                    any = true;
                    break;
                case "email":
                    builder.AddEmailAddress(name.Value);
                    any = true;
                    break;
                case "UPN":
                    builder.AddUserPrincipalName(name.Value);
                    any = true;
                    break;
                case "IP":
                    builder.AddIpAddress(IPAddress.Parse(name.Value));
                    any = true;
                    break;
                case "URI":
                    builder.AddUri(new System.Uri(name.Value));
                    any = true;
                    break;
            }
        }
        return any ? builder.Build() : null;
    }
}
