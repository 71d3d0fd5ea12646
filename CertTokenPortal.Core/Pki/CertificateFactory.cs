using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Signs certificates: end-entity certificates under a profile, subordinate CA certificates, and self-signed root CA certificates. .NET's
/// <see cref="CertificateRequest"/> signs through OpenSSL, 10-30x faster for RSA than BouncyCastle's managed code.
/// </summary>
public sealed class CertificateFactory(TimeProvider clock)
{
    /// <summary>How far notBefore is set back, so that a client whose clock runs a little slow accepts the certificate.</summary>
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    public X509Certificate2 IssueEndEntity(CaSigner ca, X500DistinguishedName subject, PublicKey publicKey,
        CertificateProfile profile, IReadOnlyList<SubjectAltName> subjectAltNames, CaUrls urls)
    {
        var request = new CertificateRequest(subject, publicKey, ca.Hash);
        var extensions = request.CertificateExtensions;
        extensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        if (profile.KeyUsage != X509KeyUsageFlags.None)
        {
            extensions.Add(new X509KeyUsageExtension(profile.KeyUsage, critical: true));
        }
        if (profile.ExtendedKeyUsages.Count > 0)
        {
            var ekus = new OidCollection();
            foreach (var oid in profile.ExtendedKeyUsages)
            {
                ekus.Add(oid);
            }
            extensions.Add(new X509EnhancedKeyUsageExtension(ekus, critical: false));
        }
        extensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, critical: false));
        extensions.Add(ca.AuthorityKeyIdentifier);
        if (SubjectAltNames.Build(subjectAltNames) is { } san)
        {
            extensions.Add(san);
        }
        extensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([urls.Crl]));
        extensions.Add(new X509AuthorityInformationAccessExtension([urls.Ocsp], [urls.Certificate]));

        var now = Now();
        var notBefore = Max(now - Backdate, ca.Certificate.NotBefore.ToUniversalTime());
        var notAfter = Min(now.AddDays(profile.ValidityDays), ca.Certificate.NotAfter.ToUniversalTime());
        return request.Create(ca.Certificate.SubjectName, ca.Generator, notBefore, notAfter, SerialNumbers.New());
    }

    /// <summary>A self-signed root CA certificate for <paramref name="key"/>: CA:TRUE, keyCertSign + cRLSign, SKI/AKI.</summary>
    public X509Certificate2 CreateRoot(X500DistinguishedName subject, AsymmetricAlgorithm key, int validityDays)
    {
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        var ski = new X509SubjectKeyIdentifierExtension(publicKey, critical: false);
        var (generator, hash) = SigningAlgorithms.For(key);
        var request = new CertificateRequest(subject, publicKey, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        // digitalSignature too: the CA signs its OCSP responses itself.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        var now = Now();
        return request.Create(subject, generator, now - Backdate, now.AddDays(validityDays), SerialNumbers.New());
    }

    /// <summary>
    /// A subordinate CA certificate for <paramref name="publicKey"/>, signed by <paramref name="parent"/>: CA:TRUE with
    /// path length 0 (it issues end-entity certificates only), keyCertSign + cRLSign + digitalSignature, SKI, the
    /// parent's AKI, and the parent's CRL and OCSP addresses so that relying parties can check it like any certificate.
    /// </summary>
    public X509Certificate2 IssueSubordinateCa(CaSigner parent, X500DistinguishedName subject, PublicKey publicKey, int validityDays, CaUrls parentUrls)
    {
        var request = new CertificateRequest(subject, publicKey, parent.Hash);
        var extensions = request.CertificateExtensions;
        extensions.Add(new X509BasicConstraintsExtension(true, true, 0, critical: true));
        extensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        extensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, critical: false));
        extensions.Add(parent.AuthorityKeyIdentifier);
        extensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([parentUrls.Crl]));
        extensions.Add(new X509AuthorityInformationAccessExtension([parentUrls.Ocsp], [parentUrls.Certificate]));
        var now = Now();
        var notBefore = Max(now - Backdate, parent.Certificate.NotBefore.ToUniversalTime());
        return request.Create(parent.Certificate.SubjectName, parent.Generator, notBefore, now.AddDays(validityDays), SerialNumbers.New());
    }

    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTime b) => a > b ? a : new DateTimeOffset(b, TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b) => a < b ? a : new DateTimeOffset(b, TimeSpan.Zero);
}
