using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// Synthetic test vectors with the structure of a YubiKey PIV enrolment: a CSR whose extension-request attribute holds
/// an empty extension list (as yubico-piv-tool writes it), and the attestation chain of a device: a root, an
/// intermediate that is NOT marked as a CA (like Yubico's per-device F9 certificate), and the slot certificate
/// "YubiKey PIV Attestation 9a" carrying the device serial in Yubico's extension 1.3.6.1.4.1.41482.3.7.
/// </summary>
public sealed class YubiKeyVectors : IDisposable
{
    public const int DeviceSerial = 12345678;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly ECDsa _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public YubiKeyVectors(string name = "Yubico")
    {
        var root = new CertificateRequest($"CN={name} PIV Root CA Serial 263751", _rootKey, HashAlgorithmName.SHA384);
        root.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        Root = root.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(20));
        // No basic constraints at all: the device certificate signs the slot certificates without being a CA.
        var intermediate = new CertificateRequest($"CN={name} PIV Attestation", _intermediateKey, HashAlgorithmName.SHA256);
        Intermediate = intermediate.Create(Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey), Now.AddDays(-1), Now.AddYears(10), [7, 1]);
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }

    /// <summary>privacyIDEA's trusted chain file: the root and its intermediate in one PEM.</summary>
    public string TrustedChainPem => Root.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n";

    /// <summary>The slot 9a attestation certificate of <paramref name="deviceKey"/> (PEM, alone, as a client sends it).</summary>
    public string SlotCertificate(AsymmetricAlgorithm deviceKey)
    {
        var request = deviceKey switch
        {
            RSA rsa => new CertificateRequest("CN=YubiKey PIV Attestation 9a", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest("CN=YubiKey PIV Attestation 9a", ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDsa", nameof(deviceKey)),
        };
        var serial = new AsnWriter(AsnEncodingRules.DER);
        serial.WriteInteger(DeviceSerial);
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.41482.3.7", serial.Encode(), false));
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.41482.3.3", [5, 4, 3], false));
        using var slot = request.Create(Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(_intermediateKey),
            Now.AddDays(-1), Now.AddYears(10), RandomNumberGenerator.GetBytes(8));
        return slot.ExportCertificatePem() + "\n";
    }

    /// <summary>
    /// A PKCS#10 request for <paramref name="deviceKey"/> whose attributes hold one extensionRequest with an empty
    /// extension list, as a YubiKey writes it; with <paramref name="explicitCriticalFalse"/> it instead asks for one
    /// extension with critical=FALSE written out (legal BER that DER forbids), as some HSMs do.
    /// </summary>
    public static byte[] Csr(AsymmetricAlgorithm deviceKey, string commonName, bool explicitCriticalFalse = false)
    {
        var info = new AsnWriter(AsnEncodingRules.BER);
        using (info.PushSequence())
        {
            info.WriteInteger(0);
            info.WriteEncodedValue(new X500DistinguishedName($"CN={commonName}").RawData);
            info.WriteEncodedValue(deviceKey switch
            {
                RSA rsa => rsa.ExportSubjectPublicKeyInfo(),
                ECDsa ec => ec.ExportSubjectPublicKeyInfo(),
                _ => throw new ArgumentException("RSA or ECDsa", nameof(deviceKey)),
            });
            using (info.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (info.PushSequence())
            {
                info.WriteObjectIdentifier("1.2.840.113549.1.9.14");
                using (info.PushSetOf())
                using (info.PushSequence())
                {
                    if (explicitCriticalFalse)
                    {
                        using (info.PushSequence())
                        {
                            info.WriteObjectIdentifier("2.5.29.17");
                            info.WriteBoolean(false);
                            var san = new SubjectAlternativeNameBuilder();
                            san.AddEmailAddress($"{commonName}@example.test");
                            info.WriteOctetString(san.Build().RawData);
                        }
                    }
                }
            }
        }
        var tbs = info.Encode();
        var (signatureOid, signature) = deviceKey switch
        {
            RSA rsa => ("1.2.840.113549.1.1.11", rsa.SignData(tbs, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            ECDsa ec => ("1.2.840.10045.4.3.2", ec.SignData(tbs, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            _ => throw new ArgumentException("RSA or ECDsa", nameof(deviceKey)),
        };
        var csr = new AsnWriter(AsnEncodingRules.BER);
        using (csr.PushSequence())
        {
            csr.WriteEncodedValue(tbs);
            using (csr.PushSequence())
            {
                csr.WriteObjectIdentifier(signatureOid);
                if (deviceKey is RSA)
                {
                    csr.WriteNull();
                }
            }
            csr.WriteBitString(signature);
        }
        return csr.Encode();
    }

    public static string Pem(byte[] der) => PemEncoding.WriteString("CERTIFICATE REQUEST", der) + "\n";

    public void Dispose()
    {
        _rootKey.Dispose();
        _intermediateKey.Dispose();
        Root.Dispose();
        Intermediate.Dispose();
    }
}
