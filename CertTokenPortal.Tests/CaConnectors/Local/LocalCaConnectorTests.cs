using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Tests.CaConnectors.Local;

[Trait("Category", "ExternalTool")]
public sealed class LocalCaConnectorTests(CoreFixture fixture) : IClassFixture<CoreFixture>, IDisposable
{
    private readonly CoreServices _core = fixture.Core;
    private readonly TempDirectory _dir = new("ctp-localca");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<int> KeyTypeIndexes => [0, 1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(KeyTypeIndexes))]
    public async Task IssueAsync_OpenSslCsrOfEveryAcceptedKeyType_ChainVerifiesWithOpenSsl(int keyType)
    {
        var csr = TestPki.OpenSslCsr(_dir, TestPki.AcceptedKeyTypes[keyType]);

        var issued = await TestPki.IssueAsync(_core, "localCA", csr);

        var root = TestPki.WritePem(_dir, "root.pem", TestPki.Root(issued));
        var leaf = TestPki.WritePem(_dir, "leaf.pem", issued.Certificate);
        Assert.Contains($"{leaf}: OK", ExternalTool.OpenSsl("verify", "-CAfile", root, leaf).Output);
        // The certificate holds the CSR's key: openssl's key and the certificate's public key are the same.
        var keyPub = ExternalTool.OpenSsl("pkey", "-in", _dir.File("req.key"), "-pubout").StdOut;
        var certPub = ExternalTool.OpenSsl("x509", "-in", leaf, "-noout", "-pubkey").StdOut;
        Assert.Equal(keyPub, certPub);
    }

    [Fact]
    public async Task IssueAsync_UserTemplate_ExtensionsAsTemplateSaysFittedToTheEcKey()
    {
        var csr = TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "/CN=alice");

        var issued = await TestPki.IssueAsync(_core, "localCA", csr, "user");

        var text = ExternalTool.OpenSsl("x509", "-in", TestPki.WritePem(_dir, "leaf.pem", issued.Certificate), "-noout", "-text").StdOut;
        Assert.Contains("Signature Algorithm: sha256WithRSAEncryption", text);
        Assert.Contains("X509v3 Basic Constraints: critical\n                CA:FALSE", text);
        // keyEncipherment is left out: an EC key cannot encipher (RFC 5480 3).
        Assert.Contains("X509v3 Key Usage: critical\n                Digital Signature\n", text);
        Assert.Contains("X509v3 Extended Key Usage: \n                TLS Web Client Authentication, E-mail Protection\n", text);
        Assert.Contains("X509v3 Subject Key Identifier", text);
        var aki = ExternalTool.OpenSsl("x509", "-in", _dir.File("leaf.pem"), "-noout", "-ext", "authorityKeyIdentifier").StdOut;
        Assert.DoesNotContain("DirName", aki);
        Assert.DoesNotContain("serial", aki);
        var caSki = ExternalTool.OpenSsl("x509", "-in", TestPki.WritePem(_dir, "ca.pem", issued.Chain[0]), "-noout", "-ext", "subjectKeyIdentifier").StdOut;
        Assert.Contains(caSki.Split('\n')[1].Trim(), aki); // keyid-only AKI = the CA's SKI
        Assert.Contains("URI:http://pki.test/ca/localCA/crl", text);
        Assert.Contains("OCSP - URI:http://pki.test/ca/localCA/ocsp", text);
        Assert.Contains("CA Issuers - URI:http://pki.test/ca/localCA/cert", text);
        // emailProtection: the owner's address as an rfc822Name, which S/MIME clients read.
        Assert.Contains("X509v3 Subject Alternative Name: \n                email:alice@example.com\n", text);
        Assert.Equal(32, issued.SerialHex.Length); // 128 bits
        Assert.InRange(Convert.ToByte(issued.SerialHex[..2], 16), 1, 0x7F); // positive, no leading zero byte
        var days = (issued.Certificate.NotAfter - issued.Certificate.NotBefore).TotalDays;
        Assert.InRange(days, 365, 365.01);
    }

    [Fact]
    public async Task IssueAsync_ServerTemplate_CopiesDnsSansAndSetsServerAuth()
    {
        var csr = TestPki.OpenSslCsr(_dir, ["rsa:2048"], "/CN=www.example.com",
            ["-addext", "subjectAltName=DNS:www.example.com,DNS:example.com"]);

        var issued = await TestPki.IssueAsync(_core, "localCA", csr, "server");

        var text = ExternalTool.OpenSsl("x509", "-in", TestPki.WritePem(_dir, "leaf.pem", issued.Certificate), "-noout", "-text").StdOut;
        Assert.Contains("DNS:www.example.com, DNS:example.com", text);
        Assert.Contains("TLS Web Server Authentication", text);
        Assert.DoesNotContain("TLS Web Client Authentication", text);
        Assert.InRange((issued.Certificate.NotAfter - issued.Certificate.NotBefore).TotalDays, 730, 730.01);
        Assert.Contains("OK", ExternalTool.OpenSsl("verify", "-CAfile", TestPki.WritePem(_dir, "root.pem", TestPki.Root(issued)),
            "-purpose", "sslserver", "-verify_hostname", "example.com", _dir.File("leaf.pem")).Output);
    }

    [Fact]
    public async Task IssueAsync_SubjectComponents_AddEmailAddressAndRealmAsOu()
    {
        var csr = TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        await using var db = _core.NewDb();

        var outcome = await connector.IssueAsync(new CaIssueRequest(TestPki.Parse(csr), "user", TestPki.Alice)
        {
            ExtraSubjectComponents = ["email", "realm"],
        }, default);

        var certificate = Assert.IsType<CaIssueOutcome.Issued>(outcome.Value).Certificate.Certificate;
        var subject = ExternalTool.OpenSsl("x509", "-in", TestPki.WritePem(_dir, "leaf.pem", certificate), "-noout", "-subject").StdOut;
        Assert.Equal("subject=CN = alice, OU = default, emailAddress = alice@example.com\n", subject);
    }

    [Fact]
    public async Task IssueAsync_EmailComponentForOwnerWithoutEmail_ValidationAndNothingAdded()
    {
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        await using var db = _core.NewDb();
        var before = await db.IssuedCertificates.CountAsync();

        var outcome = await connector.IssueAsync(new CaIssueRequest(
            TestPki.Parse(TestPki.OpenSslCsr(_dir, ["rsa:2048"])), "user", new CertificateOwner("bob", "default", null))
        {
            ExtraSubjectComponents = ["email"],
        }, default);

        Assert.Equal(ErrorKind.Validation, outcome.Error?.Kind);
        Assert.Equal(before, await db.IssuedCertificates.CountAsync());
    }

    [Fact]
    public async Task IssueAsync_Issued_HandsBackLedgerEntryAndWritesNothing()
    {
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        await using var db = _core.NewDb();
        var before = await db.IssuedCertificates.CountAsync();

        var outcome = await connector.IssueAsync(new CaIssueRequest(TestPki.Parse(TestPki.OpenSslCsr(_dir, ["rsa:2048"])), "user", TestPki.Alice)
        {
            TokenSerial = "CRT0000AB12",
        }, default);

        var issued = Assert.IsType<CaIssueOutcome.Issued>(outcome.Value).Certificate;
        var entry = Assert.IsType<CaLedgerEntry>(issued.LedgerEntry);
        Assert.Equal(issued.SerialHex, entry.SerialHex);
        Assert.Equal("localCA", entry.CaName);
        Assert.Equal("CN=alice", entry.Subject);
        Assert.Equal(issued.Certificate.NotAfter.ToUniversalTime(), entry.NotAfter);
        Assert.Equal(before, await db.IssuedCertificates.CountAsync()); // the token service records it, not the CA
    }

    [Fact]
    public async Task IssueAsync_UnknownTemplate_ValidationNamingTemplateAndCaAndNothingAdded()
    {
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        await using var db = _core.NewDb();
        var before = await db.IssuedCertificates.CountAsync();

        var outcome = await connector.IssueAsync(new CaIssueRequest(TestPki.Parse(TestPki.OpenSslCsr(_dir, ["rsa:2048"])), "webmail", TestPki.Alice), default);

        Assert.Equal(ErrorKind.Validation, outcome.Error?.Kind);
        Assert.Contains("template 'webmail'", outcome.Error!.Message);
        Assert.Contains("CA 'localCA'", outcome.Error.Message);
        Assert.Equal(before, await db.IssuedCertificates.CountAsync());
    }

    [Fact]
    public async Task IssueAsync_NoTemplateNamed_UsesDefaultTemplate()
    {
        var issued = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]), template: "");

        Assert.Contains("1.3.6.1.5.5.7.3.2", issued.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single()
            .EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
    }

    [Fact]
    public async Task RevokeAsync_ThenPublishCrl_CrlVerifiesListsReasonsAndOpenSslRefusesRevokedCert()
    {
        var compromised = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"], name: "a"));
        var superseded = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"], name: "b"));
        var valid = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"], name: "c"));
        var connector = await TestPki.ConnectorAsync<LocalCaConnector>(_core);
        await RevokeAsync(connector, compromised.SerialHex, RevocationReason.KeyCompromise);
        await RevokeAsync(connector, superseded.SerialHex, RevocationReason.Superseded);

        var crl = await connector.PublishCrlAsync(default);

        var ca = TestPki.WritePem(_dir, "ca.pem", TestPki.Root(valid));
        var crlPem = TestPki.WriteCrlPem(_dir, "crl.pem", crl.Der);
        var text = ExternalTool.OpenSsl("crl", "-in", crlPem, "-CAfile", ca, "-verify", "-noout", "-text").Output;
        Assert.Contains("verify OK", text);
        Assert.Contains("Version 2 (0x1)", text);
        Assert.Contains($"X509v3 CRL Number: \n                {crl.Number}", text);
        Assert.Contains("X509v3 Authority Key Identifier", text);
        Assert.Contains($"Serial Number: {compromised.SerialHex}\n        Revocation Date: ", text);
        Assert.Matches($"Serial Number: {compromised.SerialHex}\\n.*\\n.*CRL entry extensions:\\n.*X509v3 CRL Reason Code: \\n\\s*Key Compromise", text);
        Assert.Matches($"Serial Number: {superseded.SerialHex}\\n.*\\n.*CRL entry extensions:\\n.*X509v3 CRL Reason Code: \\n\\s*Superseded", text);
        Assert.DoesNotContain(valid.SerialHex, text);

        var revokedLeaf = TestPki.WritePem(_dir, "revoked.pem", compromised.Certificate);
        var refused = ExternalTool.Run("openssl", ["verify", "-crl_check", "-CAfile", ca, "-CRLfile", crlPem, revokedLeaf]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("certificate revoked", refused.Output);
        var validLeaf = TestPki.WritePem(_dir, "valid.pem", valid.Certificate);
        Assert.Contains($"{validLeaf}: OK", ExternalTool.OpenSsl("verify", "-crl_check", "-CAfile", ca, "-CRLfile", crlPem, validLeaf).Output);
    }

    [Fact]
    public async Task RevokeAsync_UnknownSerial_NotFoundAndNothingChanged()
    {
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        await using var db = _core.NewDb();
        var before = await db.IssuedCertificates.CountAsync(c => c.Status == IssuedCertificateStatus.Revoked);

        var result = await connector.RevokeAsync(new CaRevokeRequest("0123456789ABCDEF0123456789ABCDEF", RevocationReason.KeyCompromise, DateTime.UtcNow), default);

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.Equal(before, await db.IssuedCertificates.CountAsync(c => c.Status == IssuedCertificateStatus.Revoked));
    }

    [Fact]
    public async Task RevokeAsync_AlreadyRevoked_ConflictAndFirstReasonKept()
    {
        var issued = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]));
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        await RevokeAsync(connector, issued.SerialHex, RevocationReason.Superseded);

        await using var db = _core.NewDb();
        var again = await connector.RevokeAsync(new CaRevokeRequest(issued.SerialHex, RevocationReason.KeyCompromise, DateTime.UtcNow), default);

        Assert.Equal(ErrorKind.Conflict, again.Error?.Kind);
        Assert.Contains("already revoked", again.Error!.Message);
        Assert.Equal((int)RevocationReason.Superseded, (await db.IssuedCertificates.SingleAsync(c => c.SerialNumber == issued.SerialHex)).RevocationReason);
    }

    [Fact]
    public async Task RevokeAsync_SerialWithColonsAndLowerCase_Revokes()
    {
        var issued = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]));
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        var colons = string.Join(":", issued.SerialHex.ToLowerInvariant().Chunk(2).Select(c => new string(c)));

        await using var db = _core.NewDb();
        Assert.True((await connector.RevokeAsync(new CaRevokeRequest(colons, RevocationReason.Unspecified, DateTime.UtcNow), default)).IsSuccess);
    }

    [Fact]
    public async Task RevokeAsync_TwoConcurrentRevocationsOfOneSerial_OneSucceedsOneConflicts()
    {
        var issued = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]));
        var connector = await TestPki.ConnectorAsync<ICaConnector>(_core);
        using var start = new Barrier(2);

        async Task<Result> RevokeAtOnce(RevocationReason reason)
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            return await connector.RevokeAsync(new CaRevokeRequest(issued.SerialHex, reason, DateTime.UtcNow), default);
        }

        var results = await Task.WhenAll(
            Task.Run(() => RevokeAtOnce(RevocationReason.KeyCompromise)),
            Task.Run(() => RevokeAtOnce(RevocationReason.Superseded)));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Single(results, r => r.Error?.Kind == ErrorKind.Conflict);
    }

    [Fact]
    public async Task ReleaseHoldAsync_CertificateOnHold_ValidAgainAndOffTheNextCrl()
    {
        var issued = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]));
        var connector = await TestPki.ConnectorAsync<LocalCaConnector>(_core);
        await RevokeAsync(connector, issued.SerialHex, RevocationReason.CertificateHold);
        var held = await connector.PublishCrlAsync(default);
        Assert.Contains("Certificate Hold", CrlText(held, issued));

        await using (var db = _core.NewDb())
        {
            Assert.True((await connector.ReleaseHoldAsync(issued.SerialHex, default)).IsSuccess);
        }
        var released = await connector.PublishCrlAsync(default);

        Assert.DoesNotContain(issued.SerialHex, CrlText(released, issued));
        await using var check = _core.NewDb();
        Assert.Equal(IssuedCertificateStatus.Valid, (await check.IssuedCertificates.SingleAsync(c => c.SerialNumber == issued.SerialHex)).Status);
    }

    [Fact]
    public async Task ReleaseHoldAsync_RevokedForKeyCompromise_ConflictAndStillRevoked()
    {
        var issued = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]));
        var connector = await TestPki.ConnectorAsync<LocalCaConnector>(_core);
        await RevokeAsync(connector, issued.SerialHex, RevocationReason.KeyCompromise);

        await using var db = _core.NewDb();
        var result = await connector.ReleaseHoldAsync(issued.SerialHex, default);

        Assert.Equal(ErrorKind.Conflict, result.Error?.Kind);
        Assert.Equal(IssuedCertificateStatus.Revoked, (await db.IssuedCertificates.SingleAsync(c => c.SerialNumber == issued.SerialHex)).Status);
    }

    [Fact]
    public async Task PublishCrlAsync_ConcurrentPublishers_DistinctStrictlyIncreasingNumbers()
    {
        var connector = await TestPki.ConnectorAsync<ICrlPublisher>(_core);
        var before = (await connector.GetCurrentCrlAsync(default))!.Number;
        var otherInstance = await TestPki.ConnectorAsync<ICrlPublisher>(_core); // a second connector object, as another request would have

        var published = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => (i % 2 == 0 ? connector : otherInstance).PublishCrlAsync(default))));

        var numbers = published.Select(c => c.Number).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => before + i), numbers);
        Assert.Equal(before + 8, (await connector.GetCurrentCrlAsync(default))!.Number);
    }

    [Fact]
    public async Task RespondAsync_GoodAndRevokedCertificates_OpenSslVerifiesStatusesAndNonce()
    {
        var good = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"], name: "good"));
        var revoked = await TestPki.IssueAsync(_core, "localCA", TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], name: "bad"));
        var connector = await TestPki.ConnectorAsync<LocalCaConnector>(_core);
        await RevokeAsync(connector, revoked.SerialHex, RevocationReason.KeyCompromise);
        var ca = TestPki.WritePem(_dir, "ca.pem", TestPki.Root(good));
        var goodPem = TestPki.WritePem(_dir, "good.pem", good.Certificate);
        var revokedPem = TestPki.WritePem(_dir, "revoked.pem", revoked.Certificate);
        ExternalTool.OpenSsl("ocsp", "-issuer", ca, "-cert", goodPem, "-cert", revokedPem, "-reqout", _dir.File("req.der"));

        var response = await connector.RespondAsync(File.ReadAllBytes(_dir.File("req.der")), default);

        File.WriteAllBytes(_dir.File("resp.der"), response);
        // Only -reqin: with -cert, openssl would build a new request with a new nonce and ignore -reqin. The response is
        // signed by the CA itself and does not repeat its certificate; -verify_other hands it over as -issuer would.
        var checkedResponse = ExternalTool.OpenSsl("ocsp", "-reqin", _dir.File("req.der"), "-respin", _dir.File("resp.der"),
            "-CAfile", ca, "-verify_other", ca, "-resp_text");
        var text = checkedResponse.Output;
        Assert.Contains("Response verify OK", text);
        Assert.Matches($"Serial Number: {good.SerialHex}\\n\\s*Cert Status: good", text);
        Assert.Matches($"Serial Number: {revoked.SerialHex}\\n\\s*Cert Status: revoked\\n\\s*Revocation Time: .*\\n\\s*Revocation Reason: keyCompromise", text);
        Assert.Contains("OCSP Nonce", text);
        Assert.DoesNotContain("WARNING: no nonce", text);
        Assert.DoesNotContain("Nonce Verify error", text);
    }

    [Fact]
    public async Task RespondAsync_GarbageRequest_MalformedRequestResponse()
    {
        var connector = await TestPki.ConnectorAsync<IOcspResponder>(_core);

        var response = await connector.RespondAsync("not an OCSP request"u8.ToArray(), default);

        File.WriteAllBytes(_dir.File("resp.der"), response);
        Assert.Contains("malformedrequest", ExternalTool.Run("openssl", ["ocsp", "-respin", _dir.File("resp.der"), "-resp_text", "-noverify"]).Output);
    }

    [Fact]
    public async Task Registry_UnknownName_NotFound()
    {
        var result = await _core.Get<ICaConnectorRegistry>().GetAsync("nope");

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
    }

    private string CrlText(CrlInfo crl, IssuedCertificate anyIssued) =>
        ExternalTool.OpenSsl("crl", "-in", TestPki.WriteCrlPem(_dir, "crl.pem", crl.Der), "-CAfile",
            TestPki.WritePem(_dir, "ca.pem", TestPki.Root(anyIssued)), "-verify", "-noout", "-text").Output;

    private async Task RevokeAsync(ICaConnector connector, string serial, RevocationReason reason)
    {
        await using var db = _core.NewDb();
        var result = await connector.RevokeAsync(new CaRevokeRequest(serial, reason, DateTime.UtcNow), default);
        Assert.True(result.IsSuccess, result.Error?.ToString());
    }
}
