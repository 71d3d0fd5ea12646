using System.Security.Cryptography;
using CertTokenPortal.Core.Attestation;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Attestation;

/// <summary>
/// Attestation at enrolment, with throw-away attestation PKIs (RSA and EC roots and intermediates) made in the test:
/// the root is uploaded as trusted, the device key is attested by the intermediate.
/// </summary>
[Trait("Category", "Unit")]
public sealed class EnrolmentAttestationTests(CoreFixture fixture) : IClassFixture<CoreFixture>, IAsyncLifetime
{
    private readonly PolicyScenario _s = new(fixture.Core);
    private readonly TestAttestationPki _rsaPki = new("rsa", "ec", "RSA-rooted");
    private readonly TestAttestationPki _ecPki = new("ec", "rsa", "EC-rooted");
    private readonly TestAttestationPki _untrusted = new("ec", "ec", "Untrusted");
    private readonly List<string> _roots = [];

    public async Task InitializeAsync()
    {
        await AddRootAsync(_rsaPki);
        await AddRootAsync(_ecPki);
    }

    public async Task DisposeAsync()
    {
        foreach (var name in _roots)
        {
            await Roots<DeleteAttestationRootCommand, Result>(r => r.ExecuteAsync(TestPki.Admin, name));
        }
        _rsaPki.Dispose();
        _ecPki.Dispose();
        _untrusted.Dispose();
    }

    [Theory]
    [InlineData("rsa-root", "ec-key")]
    [InlineData("rsa-root", "rsa-key")]
    [InlineData("ec-root", "ec-key")]
    [InlineData("ec-root", "rsa-key")]
    public async Task Enrol_RequireAndVerify_AttestedKeyChainingToTrustedRoot_IsEnrolledAndRecorded(string root, string keyKind)
    {
        var pki = root == "rsa-root" ? _rsaPki : _ecPki;
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("certificate_require_attestation=require_and_verify");
        using AsymmetricAlgorithm key = keyKind == "rsa-key" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(key, alice.UserName), attestation: pki.Attest(key));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.StartsWith("verified: ", result.Value.Token.Attestation);
        Assert.Contains(pki.Root.Subject, result.Value.Token.Attestation);
        await using var db = _s.Core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenAttestation && e.Success && e.Serial == result.Value.Token.Serial));
    }

    [Fact]
    public async Task Enrol_RequireAndVerify_NoAttestation_RefusedSayingSo()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("certificate_require_attestation=require_and_verify");

        var result = await _s.EnrolCsrAsync(alice);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal($"Policy '{policy.Name}' requires an attestation certificate for the key of the request ('attestation'); none was given.", result.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_RequireAndVerify_AttestationOfAnotherKey_RefusedNamingThePublicKeyCheck()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("certificate_require_attestation=require_and_verify");
        using var attested = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var requested = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(requested, alice.UserName), attestation: _ecPki.Attest(attested));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains("the public key check failed", result.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Enrol_RequireAndVerify_BrokenChain_RefusedNamingTheChainCheck(bool untrustedRoot)
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("certificate_require_attestation=require_and_verify");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var attestation = untrustedRoot ? _untrusted.Attest(key) : _rsaPki.Attest(key, withIntermediate: false);

        var result = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(key, alice.UserName), attestation: attestation);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains("the chain check failed", result.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_RequireAndVerify_GeneratedKey_RefusedAsUnattestable()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("certificate_require_attestation=require_and_verify");

        var result = await _s.EnrolAsync(alice, new EnrolmentRequest { GenerateKey = true, KeyType = "ec", CaName = "localCA" });

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains("a key generated on the server cannot be attested", result.Error!.Message);
    }

    [Fact]
    public async Task Enrol_Verify_MismatchingKey_RefusedNamingThePublicKeyCheck()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("certificate_require_attestation=verify");
        using var attested = RSA.Create(2048);
        using var requested = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(requested, alice.UserName), attestation: _rsaPki.Attest(attested));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains("the public key check failed", result.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_Verify_UntrustedChain_RefusedNamingTheChainCheck()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("certificate_require_attestation=verify");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(key, alice.UserName), attestation: _untrusted.Attest(key));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains("the chain check failed", result.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_NoPolicy_AttestationOfAnotherKeyOrUnreadable_Refused()
    {
        var alice = await _s.UserAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var garbage = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(key, alice.UserName), attestation: "not even a certificate");
        var foreign = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(key, alice.UserName), attestation: _ecPki.Attest(other));

        Assert.Equal(ErrorKind.Validation, garbage.Error?.Kind);
        Assert.Contains("readability", garbage.Error!.Message);
        Assert.Equal(ErrorKind.Validation, foreign.Error?.Kind);
        Assert.Contains("the public key check failed", foreign.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_NoPolicy_UntrustedChain_EnrolsAndRecordsIt()
    {
        var alice = await _s.UserAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(key, alice.UserName), attestation: _untrusted.Attest(key));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.StartsWith("not verified: the chain check failed", result.Value.Token.Attestation);
    }

    [Fact]
    public async Task AddRoot_NotPemOrTwoCertificates_RefusedAndNothingSaved()
    {
        var name = $"bad{Guid.NewGuid():N}"[..12];

        var garbage = await Roots<AddAttestationRootCommand, Result<AttestationRootView>>(r => r.ExecuteAsync(TestPki.Admin, name, "garbage"));
        var two = await Roots<AddAttestationRootCommand, Result<AttestationRootView>>(r => r.ExecuteAsync(TestPki.Admin, name, _untrusted.RootPem + "\n" + _rsaPki.RootPem));
        var noRoot = await Roots<AddAttestationRootCommand, Result<AttestationRootView>>(r => r.ExecuteAsync(TestPki.Admin, name, _untrusted.Intermediate.ExportCertificatePem()));
        var again = await Roots<AddAttestationRootCommand, Result<AttestationRootView>>(r => r.ExecuteAsync(TestPki.Admin, name, _rsaPki.RootPem));

        Assert.Equal(ErrorKind.Validation, garbage.Error?.Kind);
        Assert.Contains("holds 2 self-signed roots", two.Error!.Message);
        Assert.Contains("no self-signed root", noRoot.Error!.Message);
        Assert.Equal(ErrorKind.Conflict, again.Error?.Kind);
        Assert.Contains("already trusted", again.Error!.Message);
        var listed = await Roots<ListAttestationRootsQuery, Result<IReadOnlyList<AttestationRootView>>>(r => r.ExecuteAsync(TestPki.Helpdesk));
        Assert.DoesNotContain(listed.Value, v => v.Name == name);
    }

    [Fact]
    public async Task AddRoot_Helpdesk_Forbidden()
    {
        var result = await Roots<AddAttestationRootCommand, Result<AttestationRootView>>(r => r.ExecuteAsync(TestPki.Helpdesk, "helpdesk-root", _untrusted.RootPem));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
    }

    private async Task AddRootAsync(TestAttestationPki pki)
    {
        var name = $"root{Guid.NewGuid():N}"[..16];
        var added = await Roots<AddAttestationRootCommand, Result<AttestationRootView>>(r => r.ExecuteAsync(TestPki.Admin, name, pki.RootPem));
        Assert.True(added.IsSuccess, added.Error?.Message);
        _roots.Add(name);
    }

    private Task<T> Roots<TUseCase, T>(Func<TUseCase, Task<T>> action) where TUseCase : notnull =>
        _s.Core.InScopeAsync(sp => action(sp.GetRequiredService<TUseCase>()));
}
