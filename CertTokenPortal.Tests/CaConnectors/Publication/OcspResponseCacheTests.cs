using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Publication;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertTokenPortal.Tests.CaConnectors.Publication;

/// <summary>
/// OCSP answers are reused while no certificate of the CA changes status, and never after: a revocation or a hold
/// release on any instance is answered at once by every instance; answers with a nonce or an "unknown" are not kept.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OcspResponseCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly TempDirectory _dir = new("ctp-ocsp-cache");
    private CoreServices _core = null!;

    public async Task InitializeAsync() => _core = await CoreServices.StartAsync(null, s => s.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task RespondOcsp_AskedAgainWithoutNonce_SameSignedAnswer()
    {
        var (issued, request) = await IssueAndAskAsync(nonce: false);

        var first = await RespondAsync(_core, request);
        _clock.Advance(TimeSpan.FromSeconds(10)); // a new signature would carry a later producedAt
        var second = await RespondAsync(_core, request);

        Assert.Equal(first, second);
        Assert.Null(Status(second));
        Assert.NotNull(issued);
    }

    [Fact]
    public async Task RespondOcsp_OlderThanMaxAge_SignedAnew()
    {
        var (_, request) = await IssueAndAskAsync(nonce: false);
        var first = await RespondAsync(_core, request);

        _clock.Advance(OcspResponseCache.MaxAge + TimeSpan.FromSeconds(1));

        Assert.NotEqual(first, await RespondAsync(_core, request));
    }

    [Fact]
    public async Task RespondOcsp_WithNonce_NeverReused()
    {
        var (_, request) = await IssueAndAskAsync(nonce: true);
        var first = await RespondAsync(_core, request);

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.NotEqual(first, await RespondAsync(_core, request));
    }

    [Fact]
    public async Task RespondOcsp_RevokedAndReleasedOnAnotherInstance_EachAnsweredAtOnce()
    {
        var (issued, request) = await IssueAndAskAsync(nonce: false);
        Assert.Null(Status(await RespondAsync(_core, request))); // good, and kept
        await using var other = await CoreServices.StartAsync(new Dictionary<string, string?> { ["Portal:DataDirectory"] = _core.DataDirectory });
        var otherCa = await TestPki.ConnectorAsync<ICaConnector>(other);

        Assert.True((await otherCa.RevokeAsync(new CaRevokeRequest(issued.SerialHex, RevocationReason.CertificateHold, DateTime.UtcNow), default)).IsSuccess);
        Assert.IsType<RevokedStatus>(Status(await RespondAsync(_core, request)));

        Assert.True((await ((ICertificateHoldRelease)otherCa).ReleaseHoldAsync(issued.SerialHex, default)).IsSuccess);
        Assert.Null(Status(await RespondAsync(_core, request)));
    }

    [Fact]
    public async Task RespondOcsp_UnknownSerial_NotKept()
    {
        var (issued, _) = await IssueAndAskAsync(nonce: false);
        var unknown = Request(issued, new BigInteger(1, Guid.NewGuid().ToByteArray()), nonce: false);
        var first = await RespondAsync(_core, unknown);

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.IsType<UnknownStatus>(Status(first));
        Assert.NotEqual(first, await RespondAsync(_core, unknown));
    }

    private async Task<(IssuedCertificate Issued, byte[] Request)> IssueAndAskAsync(bool nonce)
    {
        var issued = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"], name: Guid.NewGuid().ToString("N")));
        return (issued, Request(issued, new BigInteger(issued.SerialHex, 16), nonce));
    }

    private static byte[] Request(IssuedCertificate issued, BigInteger serial, bool nonce)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, Org.BouncyCastle.Asn1.DerNull.Instance),
            new BcCertificate(TestPki.Root(issued).RawData), serial));
        if (nonce)
        {
            var extensions = new Org.BouncyCastle.Asn1.X509.X509ExtensionsGenerator();
            extensions.AddExtension(Org.BouncyCastle.Asn1.Ocsp.OcspObjectIdentifiers.PkixOcspNonce, false,
                new Org.BouncyCastle.Asn1.DerOctetString(Guid.NewGuid().ToByteArray()));
            generator.SetRequestExtensions(extensions.Generate());
        }
        return generator.Generate().GetEncoded();
    }

    private static async Task<byte[]> RespondAsync(CoreServices core, byte[] request)
    {
        var answer = await core.Get<CaPublication>().RespondOcspAsync("localCA", request);
        Assert.True(answer.IsSuccess, answer.Error?.Message);
        return answer.Value;
    }

    /// <summary>The status of the one certificate asked about: null is "good" in BouncyCastle.</summary>
    private static object? Status(byte[] response) =>
        ((BasicOcspResp)new OcspResp(response).GetResponseObject()).Responses.Single().GetCertStatus();
}
