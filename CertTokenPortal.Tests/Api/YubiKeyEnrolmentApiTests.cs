using System.Net;
using System.Security.Cryptography;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// A YubiKey-shaped enrolment through the API, as privacyIDEA's semantics have it: the trusted chain is uploaded as
/// one PEM, the client sends only the slot certificate, and OpenSSL verifies the certificate that comes out.
/// </summary>
[Trait("Category", "ExternalTool")]
public sealed class YubiKeyEnrolmentApiTests : IClassFixture<PortalFactory>, IDisposable
{
    private const string Realm = "ykrealm";
    private readonly PortalFactory _portal;
    private readonly YubiKeyVectors _yubico = new();
    private readonly TempDirectory _dir = new("ctp-ykapi");

    public YubiKeyEnrolmentApiTests(PortalFactory portal) => _portal = portal;

    public void Dispose()
    {
        _yubico.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Init_YubiKeyRequest_RefusedWithoutChainThenAcceptedWithTrustedChain()
    {
        var user = $"yk{Guid.NewGuid():N}"[..10];
        await _portal.CreateUserAsync(user, PortalRoles.User, Realm);
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var owner = await ApiClient.LoginAsync(_portal, user, PortalUsers.Password);
        var policy = await admin.PostFormAsync($"/policy/yk{Guid.NewGuid():N}"[..20], ("action", "certificate_require_attestation=require_and_verify"), ("realm", Realm));
        Assert.True(policy.Ok, policy.ToString());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = YubiKeyVectors.Pem(YubiKeyVectors.Csr(key, user));

        var noChain = await Enrol(owner, csr, _yubico.SlotCertificate(key));
        var upload = await admin.PostFormAsync($"/attestation/root/yubico{Guid.NewGuid():N}"[..20], ("certificate", _yubico.TrustedChainPem));
        var bogus = await Enrol(owner, csr, "-----BEGIN CERTIFICATE-----\nMIIBbogus\n-----END CERTIFICATE-----\n");
        var foreign = await Enrol(owner, csr, _yubico.SlotCertificate(otherKey));
        var missing = await Enrol(owner, csr, null);
        var accepted = await Enrol(owner, csr, _yubico.SlotCertificate(key));

        AssertRefused(noChain, "the chain check failed");
        Assert.True(upload.Ok, upload.ToString());
        AssertRefused(bogus, "readability");
        AssertRefused(foreign, "the public key check failed");
        AssertRefused(missing, "requires an attestation certificate");
        Assert.True(accepted.Ok, accepted.ToString());
        var attestation = accepted.Detail.GetProperty("attestation").GetString()!;
        Assert.StartsWith("verified: ", attestation);
        Assert.Contains($"YubiKey serial {YubiKeyVectors.DeviceSerial}, slot 9a", attestation);
        Assert.Contains("'CN=Yubico PIV Attestation' < 'CN=Yubico PIV Root CA Serial 263751'", attestation);
        await using (var db = _portal.NewDb())
        {
            Assert.Equal(1, await db.Tokens.CountAsync(t => t.OwnerUserName == user));
        }

        File.WriteAllText(_dir.File("cert.pem"), accepted.Detail.GetProperty("certificate").GetString());
        var ca = await ApiClient.Anonymous(_portal).DownloadAsync("/ca/localCA/cert.pem");
        File.WriteAllBytes(_dir.File("ca.pem"), ca.Content);
        ExternalTool.OpenSsl("verify", "-CAfile", _dir.File("ca.pem"), _dir.File("cert.pem"));
        var text = ExternalTool.OpenSsl("x509", "-in", _dir.File("cert.pem"), "-noout", "-pubkey").StdOut;
        Assert.Equal(key.ExportSubjectPublicKeyInfoPem().Trim(), text.Trim());
    }

    [Fact]
    public async Task AttestationRoot_ChainWithForeignIntermediate_RefusedAndNothingSaved()
    {
        using var other = new YubiKeyVectors("Other");
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var name = $"mixed{Guid.NewGuid():N}"[..16];

        var answer = await admin.PostFormAsync($"/attestation/root/{name}", ("certificate", _yubico.Root.ExportCertificatePem() + "\n" + other.Intermediate.ExportCertificatePem()));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("does not chain to its root", answer.ErrorMessage);
        await using var db = _portal.NewDb();
        Assert.False(await db.AttestationRoots.AnyAsync(r => r.Name == name));
    }

    private static Task<ApiAnswer> Enrol(ApiClient owner, string csr, string? attestation)
    {
        var fields = new List<(string, string)> { ("type", "certificate"), ("request", csr), ("ca", "localCA") };
        if (attestation is not null)
        {
            fields.Add(("attestation", attestation));
        }
        return owner.PostFormAsync("/token/init", fields.ToArray());
    }

    private static void AssertRefused(ApiAnswer answer, string message)
    {
        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Contains(message, answer.ErrorMessage);
    }
}
