using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Tests.Pki;

/// <summary>Throw-away attestation PKIs (root, intermediate, attestation certificate) built in the test.</summary>
public sealed class AttestationVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly AttestationVerifier _verifier = new(TimeProvider.System);

    [Theory]
    [InlineData("rsa", "ec")]
    [InlineData("ec", "rsa")]
    [InlineData("rsa", "rsa")]
    [InlineData("ec", "ec")]
    public void Verify_AttestedKeyChainingToTrustedRoot_Passes(string rootKind, string intermediateKind)
    {
        var pki = new AttestationPki(rootKind, intermediateKind);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, pki.Attest(deviceKey), [pki.Root]);

        Assert.True(result.Passed, result.Message);
        Assert.Null(result.FailedCheck);
    }

    [Fact]
    public void Verify_IntermediateNotMarkedAsCa_Passes()
    {
        // Like a YubiKey's slot-F9 certificate: it signs attestations but has no basicConstraints CA:TRUE.
        var pki = new AttestationPki("rsa", "rsa", intermediateIsCa: false);
        using var deviceKey = RSA.Create(2048);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        Assert.True(_verifier.Verify(csr, pki.Attest(deviceKey), [pki.Root]).Passed);
    }

    [Fact]
    public void Verify_AttestationOfAnotherKey_FailsPublicKeyCheck()
    {
        var pki = new AttestationPki("ec", "ec");
        using var attested = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var requested = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(requested, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, pki.Attest(attested), [pki.Root]);

        Assert.False(result.Passed);
        Assert.Equal(AttestationCheck.PublicKey, result.FailedCheck);
    }

    [Fact]
    public void Verify_ChainToAnotherRoot_FailsChainCheck()
    {
        var pki = new AttestationPki("rsa", "ec");
        var stranger = new AttestationPki("rsa", "ec");
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, pki.Attest(deviceKey), [stranger.Root]);

        Assert.Equal(AttestationCheck.Chain, result.FailedCheck);
    }

    [Fact]
    public void Verify_IntermediateMissing_FailsChainCheck()
    {
        var pki = new AttestationPki("ec", "ec");
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, pki.Attest(deviceKey, withIntermediate: false), [pki.Root]);

        Assert.Equal(AttestationCheck.Chain, result.FailedCheck);
        Assert.Contains("no trusted issuer", result.Message);
    }

    [Fact]
    public void Verify_IntermediateSignedByImpostorWithRootsName_FailsChainCheck()
    {
        var pki = new AttestationPki("rsa", "rsa");
        var impostor = new AttestationPki("rsa", "rsa"); // same subject names, other keys
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, impostor.Attest(deviceKey), [pki.Root]);

        Assert.False(result.Passed);
        Assert.Equal(AttestationCheck.Chain, result.FailedCheck);
    }

    [Fact]
    public void Verify_ExpiredAttestation_FailsValidityCheck()
    {
        var pki = new AttestationPki("ec", "ec");
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, pki.Attest(deviceKey, notAfter: Now.AddDays(-1)), [pki.Root]);

        Assert.Equal(AttestationCheck.Validity, result.FailedCheck);
    }

    [Fact]
    public void Verify_NotPem_FailsReadableCheck()
    {
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        Assert.Equal(AttestationCheck.Readable, _verifier.Verify(csr, "not a certificate", []).FailedCheck);
    }

    private sealed class AttestationPki
    {
        private readonly AsymmetricAlgorithm _intermediateKey;

        public AttestationPki(string rootKind, string intermediateKind, bool intermediateIsCa = true)
        {
            var rootKey = NewKey(rootKind);
            _intermediateKey = NewKey(intermediateKind);
            Root = Request("CN=Attestation Root", rootKey, ca: true).CreateSelfSigned(Now.AddDays(-1), Now.AddYears(10));
            Intermediate = Request("CN=Attestation Intermediate", _intermediateKey, intermediateIsCa)
                .Create(Root.SubjectName, Generator(rootKey), Now.AddDays(-1), Now.AddYears(5), [1, 2, 3]);
        }

        public X509Certificate2 Root { get; }
        public X509Certificate2 Intermediate { get; }

        public string Attest(AsymmetricAlgorithm deviceKey, bool withIntermediate = true, DateTimeOffset? notAfter = null)
        {
            var attestation = Request("CN=Attested key", deviceKey, ca: false)
                .Create(Intermediate.SubjectName, Generator(_intermediateKey), Now.AddDays(-2), notAfter ?? Now.AddYears(1), [4, 5, 6]);
            return attestation.ExportCertificatePem() + "\n" + (withIntermediate ? Intermediate.ExportCertificatePem() : "");
        }

        private static AsymmetricAlgorithm NewKey(string kind) =>
            kind == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP384);

        private static CertificateRequest Request(string subject, AsymmetricAlgorithm key, bool ca)
        {
            var request = key is RSA rsa
                ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA384);
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
}
