using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Reads the extensions a PKCS#10 request asks for from its attributes (PKCS#9 extensionRequest and Microsoft's
/// older OID), tolerating what real devices write: an empty extension list, several extension-request attributes,
/// attributes the portal does not know (a challenge password, a device's own), and BER encodings.
/// </summary>
internal static class CsrAttributes
{
    private const string ExtensionRequestOid = "1.2.840.113549.1.9.14";
    private const string MicrosoftExtensionRequestOid = "1.3.6.1.4.1.311.2.1.14";

    /// <summary>False only when an extension request is present and cannot be read.</summary>
    public static bool TryReadExtensions(ReadOnlyMemory<byte>? attributes, out List<X509Extension> extensions)
    {
        extensions = [];
        if (attributes is null)
        {
            return true;
        }
        try
        {
            var set = new AsnReader(attributes.Value, AsnEncodingRules.BER).ReadSetOf(true, new Asn1Tag(TagClass.ContextSpecific, 0));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var values = attribute.ReadSetOf(skipSortOrderValidation: true);
                if (type is not (ExtensionRequestOid or MicrosoftExtensionRequestOid))
                {
                    continue;
                }
                while (values.HasData)
                {
                    var list = values.ReadSequence();
                    while (list.HasData)
                    {
                        var extension = list.ReadSequence();
                        var oid = extension.ReadObjectIdentifier();
                        var critical = extension.HasData && extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
                        var value = extension.ReadOctetString();
                        if (extension.HasData)
                        {
                            return false;
                        }
                        // The first of a repeated extension counts, as a certificate may hold each extension once.
                        if (seen.Add(oid))
                        {
                            extensions.Add(new X509Extension(oid, value, critical));
                        }
                    }
                }
            }
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
