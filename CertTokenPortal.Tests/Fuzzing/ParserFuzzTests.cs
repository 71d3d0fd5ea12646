using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertTokenPortal.Api;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.Pki;
using CsCheck;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace CertTokenPortal.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing (CsCheck) of every parser of outside input: CSR, certificate, PKCS#12 and PEM CA-key import,
/// OCSP request and the API's parameter reader. The property: any input, however broken, gives an answer (a value or
/// a typed error) and never an unhandled exception. Inputs are random bytes and mutations of valid documents
/// (bit flips, truncations, splices, PEM wrapping), which reach deeper than random bytes alone.
/// The tests run a short round; <c>bench/fuzz.sh</c> runs 100,000 inputs per parser (<c>FUZZ_ITERATIONS</c>).
/// </summary>
[Trait("Category", "Unit")]
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private static long Iterations => long.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out var n) ? n : 300;

    private static readonly Lazy<Seeds> Valid = new(Seeds.Create);

    [Fact]
    public void CsrParser_AnyInput_ReturnsAResultNeverThrows() =>
        Run("CSR", Inputs(Valid.Value.CsrDer, Valid.Value.CsrPem), input =>
        {
            var parser = new CsrParser();
            _ = parser.Parse(input);
            _ = parser.Parse(Encoding.Latin1.GetString(input));
        });

    [Fact]
    public void CertificateReader_AnyInput_ReturnsAResultNeverThrows() =>
        Run("certificate", Inputs(Valid.Value.CertificateDer, Valid.Value.CertificatePem), input =>
        {
            _ = CertificateDetails.Read(input);
            _ = CertificateDetails.Read(Encoding.Latin1.GetString(input));
        });

    [Fact]
    public void Pkcs12Import_AnyInput_ReturnsAResultNeverThrows() =>
        Run("PKCS#12", Inputs(Valid.Value.Pkcs12, Valid.Value.Pkcs12), input =>
        {
            _ = CaKeyReader.ReadPkcs12(Convert.ToBase64String(input), "Fuzz-Passw0rd");
        });

    [Fact]
    public void PemKeyImport_AnyInput_ReturnsAResultNeverThrows() =>
        Run("PEM key", Inputs(Valid.Value.KeyPem, Valid.Value.KeyPem), input =>
        {
            _ = CaKeyReader.ReadPem(Encoding.Latin1.GetString(input), "Fuzz-Passw0rd", Valid.Value.Ca.Certificate);
        });

    [Fact]
    public void OcspRequest_AnyInput_AnswersNeverThrows()
    {
        var builder = new OcspResponseBuilder(TimeProvider.System);
        var seeds = Valid.Value;
        Run("OCSP request", Inputs(seeds.OcspRequest, seeds.OcspRequest), input =>
        {
            _ = builder.RespondAsync(seeds.Ca, input,
                (serials, _) => Task.FromResult<IReadOnlyDictionary<string, OcspCertificateStatus>>(
                    serials.ToDictionary(s => s, OcspCertificateStatus (_) => new OcspCertificateStatus.Good())),
                CancellationToken.None).GetAwaiter().GetResult();
        });
    }

    [Fact]
    public void ApiParameterReader_AnyBody_ReturnsAResultNeverThrows()
    {
        var contentTypes = new[] { "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "text/plain", "application/json; charset=latin1", "" };
        var forms = Encoding.ASCII.GetBytes("type=certificate&pin=a%20b&description=x%FF&user=");
        var json = Encoding.UTF8.GetBytes("{\"type\":\"certificate\",\"pin\":\"\\ud800\",\"n\":1,\"o\":{\"a\":[1,2]},\"b\":true}");
        var multipart = Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\ncertificate\r\n--b--\r\n");
        var gen = Gen.Select(Gen.Int[0, contentTypes.Length - 1], Inputs(json, forms, multipart), Gen.String[Gen.Char.AlphaNumeric, 0, 20]);
        Run("API parameters", gen, t =>
        {
            var (type, body, query) = t;
            var http = new DefaultHttpContext();
            http.Request.ContentType = contentTypes[type];
            http.Request.Body = new MemoryStream(body);
            http.Request.QueryString = new QueryString("?q=" + query + "&x=%" + query);
            _ = ApiParameters.ReadAsync(http.Request, CancellationToken.None).GetAwaiter().GetResult();
        });
    }

    /// <summary>Random bytes, and mutations of the valid documents <paramref name="seeds"/>.</summary>
    private static Gen<byte[]> Inputs(params byte[][] seeds)
    {
        var seed = Gen.Int[0, seeds.Length - 1].Select(i => seeds[i]);
        var flip = Gen.Select(seed, Gen.Int[0, 1 << 20], Gen.Byte).Select((s, at, b) =>
        {
            var copy = (byte[])s.Clone();
            if (copy.Length > 0)
            {
                copy[at % copy.Length] ^= (byte)(b == 0 ? 1 : b);
            }
            return copy;
        });
        var truncate = Gen.Select(seed, Gen.Int[0, 1 << 20]).Select((s, at) => s[..(s.Length == 0 ? 0 : at % s.Length)]);
        var splice = Gen.Select(seed, Gen.Int[0, 1 << 20], Gen.Byte.Array[0, 64]).Select((s, at, insert) =>
        {
            var i = s.Length == 0 ? 0 : at % s.Length;
            return (byte[])[.. s.AsSpan(0, i), .. insert, .. s.AsSpan(i)];
        });
        var lengthBomb = Gen.Select(seed, Gen.Int[0, 1 << 20]).Select((s, at) =>
        {
            // An ASN.1 length byte rewritten to claim far more content than there is.
            var copy = (byte[])s.Clone();
            if (copy.Length > 2)
            {
                copy[1 + at % (copy.Length - 1)] = 0x84;
            }
            return copy;
        });
        var pemWrapped = Gen.Byte.Array[0, 512].Select(b => Encoding.ASCII.GetBytes(
            "-----BEGIN CERTIFICATE REQUEST-----\n" + Convert.ToBase64String(b) + "\n-----END CERTIFICATE REQUEST-----\n"));
        return Gen.Frequency((2, Gen.Byte.Array[0, 2048]), (4, flip), (2, truncate), (2, splice), (2, lengthBomb), (1, pemWrapped));
    }

    private void Run<T>(string parser, Gen<T> gen, Action<T> parse)
    {
        var crashes = 0;
        var first = "";
        var count = 0L;
        gen.Sample(input =>
        {
            Interlocked.Increment(ref count);
            try
            {
                parse(input);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (Interlocked.Increment(ref crashes) == 1)
                {
                    first = $"{e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}";
                }
            }
        }, iter: Iterations, threads: 1);
        output.WriteLine($"FUZZ {parser}: {count} inputs, {crashes} unhandled exceptions");
        Console.WriteLine($"FUZZ {parser}: {count} inputs, {crashes} unhandled exceptions");
        Assert.True(crashes == 0, $"{parser}: {crashes} of {count} inputs threw. First: {first}");
    }

    /// <summary>Valid documents to mutate: a CSR, a certificate, a PKCS#12, an encrypted PEM key, an OCSP request.</summary>
    private sealed record Seeds(byte[] CsrDer, byte[] CsrPem, byte[] CertificateDer, byte[] CertificatePem, byte[] Pkcs12, byte[] KeyPem, byte[] OcspRequest, CaSigner Ca)
    {
        public static Seeds Create()
        {
            var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caCert = new CertificateFactory(TimeProvider.System).CreateRoot(new X500DistinguishedName("CN=Fuzz Root"), caKey, 30);
            var ca = new CaSigner(caCert, [], caKey);

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=fuzz,O=Example", key, HashAlgorithmName.SHA256);
            var sans = new SubjectAlternativeNameBuilder();
            sans.AddDnsName("fuzz.example.test");
            sans.AddEmailAddress("fuzz@example.test");
            request.CertificateExtensions.Add(sans.Build());
            var csrDer = request.CreateSigningRequest();
            using var leaf = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            var pkcs12 = caCert.CopyWithPrivateKey(caKey).Export(X509ContentType.Pkcs12, "Fuzz-Passw0rd");
            var keyPem = caKey.ExportEncryptedPkcs8PrivateKeyPem("Fuzz-Passw0rd", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

            var ocspId = new Org.BouncyCastle.Ocsp.CertificateID(
                new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, Org.BouncyCastle.Asn1.DerNull.Instance),
                new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(caCert.RawData), new Org.BouncyCastle.Math.BigInteger(1, leaf.GetSerialNumber().Reverse().ToArray()));
            var ocspGenerator = new Org.BouncyCastle.Ocsp.OcspReqGenerator();
            ocspGenerator.AddRequest(ocspId);
            var ocsp = ocspGenerator.Generate().GetEncoded();

            return new Seeds(csrDer, Encoding.ASCII.GetBytes(request.CreateSigningRequestPem()), leaf.RawData,
                Encoding.ASCII.GetBytes(leaf.ExportCertificatePem()), pkcs12, Encoding.ASCII.GetBytes(keyPem), ocsp, ca);
        }
    }
}
