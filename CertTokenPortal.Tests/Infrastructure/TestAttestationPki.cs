using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// A throw-away attestation PKI made in the test: a root (to upload as trusted), an intermediate, and attestation
/// certificates for device keys, like a YubiKey's PIV attestation chain.
/// </summary>
public sealed class TestAttestationPki : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly AsymmetricAlgorithm _rootKey;
    private readonly AsymmetricAlgorithm _intermediateKey;

    /// <param name="rootKind"><c>rsa</c> or <c>ec</c>.</param>
    /// <param name="intermediateKind"><c>rsa</c> or <c>ec</c>.</param>
    /// <param name="name">Distinguishes the subjects of several PKIs in one test (the same name makes an impostor).</param>
    /// <param name="intermediateIsCa">False makes an intermediate without basicConstraints CA:TRUE, like a YubiKey's slot-F9 certificate.</param>
    public TestAttestationPki(string rootKind, string intermediateKind, string name = "Test", bool intermediateIsCa = true)
    {
        _rootKey = NewKey(rootKind);
        _intermediateKey = NewKey(intermediateKind);
        Root = Request($"CN={name} Attestation Root", _rootKey, ca: true).CreateSelfSigned(Now.AddDays(-1), Now.AddYears(10));
        Intermediate = Request($"CN={name} Attestation Intermediate", _intermediateKey, ca: intermediateIsCa)
            .Create(Root.SubjectName, Generator(_rootKey), Now.AddDays(-1), Now.AddYears(5), [1, 2, 3]);
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }

    public string RootPem => Root.ExportCertificatePem();

    /// <summary>The attestation certificate of <paramref name="deviceKey"/>, followed by the intermediate (PEM).</summary>
    public string Attest(AsymmetricAlgorithm deviceKey, bool withIntermediate = true, DateTimeOffset? notAfter = null)
    {
        using var attestation = Request("CN=Attested key", deviceKey, ca: false)
            .Create(Intermediate.SubjectName, Generator(_intermediateKey), Now.AddDays(-2), notAfter ?? Now.AddYears(1), RandomNumberGenerator.GetBytes(8));
        return attestation.ExportCertificatePem() + "\n" + (withIntermediate ? Intermediate.ExportCertificatePem() + "\n" : "");
    }

    /// <summary>A CSR (PEM) for <paramref name="deviceKey"/>.</summary>
    public static string Csr(AsymmetricAlgorithm deviceKey, string commonName) =>
        Request($"CN={commonName}", deviceKey, ca: false).CreateSigningRequestPem();

    public void Dispose()
    {
        _rootKey.Dispose();
        _intermediateKey.Dispose();
        Root.Dispose();
        Intermediate.Dispose();
    }

    private static AsymmetricAlgorithm NewKey(string kind) =>
        kind == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key, bool ca)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDsa", nameof(key)),
        };
        if (ca)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        }
        return request;
    }

    private static X509SignatureGenerator Generator(AsymmetricAlgorithm key) => key is RSA rsa
        ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
        : X509SignatureGenerator.CreateForECDsa((ECDsa)key);
}
