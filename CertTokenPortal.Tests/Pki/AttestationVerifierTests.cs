using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Pki;

/// <summary>Throw-away attestation PKIs (<see cref="TestAttestationPki"/>) built in the test.</summary>
[Trait("Category", "Unit")]
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
        using var pki = new TestAttestationPki(rootKind, intermediateKind);
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
        using var pki = new TestAttestationPki("rsa", "rsa", intermediateIsCa: false);
        using var deviceKey = RSA.Create(2048);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        Assert.True(_verifier.Verify(csr, pki.Attest(deviceKey), [pki.Root]).Passed);
    }

    [Fact]
    public void Verify_AttestationOfAnotherKey_FailsPublicKeyCheck()
    {
        using var pki = new TestAttestationPki("ec", "ec");
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
        using var pki = new TestAttestationPki("rsa", "ec");
        using var stranger = new TestAttestationPki("rsa", "ec");
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, pki.Attest(deviceKey), [stranger.Root]);

        Assert.Equal(AttestationCheck.Chain, result.FailedCheck);
    }

    [Fact]
    public void Verify_IntermediateMissing_FailsChainCheck()
    {
        using var pki = new TestAttestationPki("ec", "ec");
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, pki.Attest(deviceKey, withIntermediate: false), [pki.Root]);

        Assert.Equal(AttestationCheck.Chain, result.FailedCheck);
        Assert.Contains("no trusted issuer", result.Message);
    }

    [Fact]
    public void Verify_IntermediateSignedByImpostorWithRootsName_FailsChainCheck()
    {
        using var pki = new TestAttestationPki("rsa", "rsa");
        using var impostor = new TestAttestationPki("rsa", "rsa"); // same subject names, other keys
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CsrBuilder().Build(deviceKey, new X500DistinguishedName("CN=alice"));

        var result = _verifier.Verify(csr, impostor.Attest(deviceKey), [pki.Root]);

        Assert.False(result.Passed);
        Assert.Equal(AttestationCheck.Chain, result.FailedCheck);
    }

    [Fact]
    public void Verify_ExpiredAttestation_FailsValidityCheck()
    {
        using var pki = new TestAttestationPki("ec", "ec");
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
}
