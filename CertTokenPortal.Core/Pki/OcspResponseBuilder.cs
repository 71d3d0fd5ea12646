using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;

namespace CertTokenPortal.Core.Pki;

/// <summary>What a CA's ledger says about one serial number, for an OCSP answer.</summary>
public abstract record OcspCertificateStatus
{
    private OcspCertificateStatus() { }

    public sealed record Good : OcspCertificateStatus;
    public sealed record Revoked(DateTime RevokedAt, RevocationReason Reason) : OcspCertificateStatus;
    public sealed record Unknown : OcspCertificateStatus;
}

/// <summary>
/// Answers RFC 6960 OCSP requests with basic responses signed by the CA itself, echoing the request's nonce.
/// BouncyCastle, because .NET has no OCSP encoder or parser.
/// </summary>
public sealed class OcspResponseBuilder(TimeProvider clock)
{
    /// <summary>How long a "good" or "revoked" answer may be cached by relying parties.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromHours(1);

    /// <param name="ca">The CA that answers.</param>
    /// <param name="requestDer">The DER OCSP request.</param>
    /// <param name="lookup">Finds the status of the given serial numbers (upper-case hex) in the CA's ledger.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<byte[]> RespondAsync(CaSigner ca, byte[] requestDer,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, OcspCertificateStatus>>> lookup,
        CancellationToken cancellationToken)
    {
        OcspReq request;
        Req[] items;
        List<CertificateID> ids;
        try
        {
            request = new OcspReq(requestDer);
            items = request.GetRequestList();
            ids = items.Select(i => i.GetCertID()).ToList();
        }
        // BouncyCastle reads the request's ASN.1 lazily, so some malformed structures surface only here, and a few as a
        // NullReferenceException from inside it (found by fuzzing); every one of them is the client's malformed request.
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or InvalidOperationException
                                      or NullReferenceException or IndexOutOfRangeException)
        {
            return Error(OcspRespStatus.MalformedRequest);
        }
        if (items.Length == 0)
        {
            return Error(OcspRespStatus.MalformedRequest);
        }

        var ours = ids.Where(id => IsIssuedBy(id, ca)).ToList();
        var serials = ours.Select(id => ToHex(id.SerialNumber)).Distinct().ToList();
        var statuses = serials.Count > 0
            ? await lookup(serials, cancellationToken)
            : new Dictionary<string, OcspCertificateStatus>();

        var now = clock.GetUtcNow().UtcDateTime;
        var now0 = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var generator = new BasicOcspRespGenerator(new RespID(ca.BouncyCastleCertificate.SubjectDN));
        foreach (var id in ids)
        {
            var status = ours.Contains(id) ? statuses.GetValueOrDefault(ToHex(id.SerialNumber)) : null;
            CertificateStatus? answer = status switch
            {
                OcspCertificateStatus.Good => CertificateStatus.Good,
                OcspCertificateStatus.Revoked r => new RevokedStatus(r.RevokedAt, (int)r.Reason),
                _ => new UnknownStatus(),
            };
            generator.AddResponse(id, answer, now0, now0 + Validity, null);
        }

        var nonce = request.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        if (nonce is not null)
        {
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, nonce.Value.GetOctets());
            generator.SetResponseExtensions(extensions.Generate());
        }

        var signer = new Asn1SignatureFactory(SignatureName(ca), ca.BouncyCastleKey);
        var basic = generator.Generate(signer, null, now0);
        return new OCSPRespGenerator().Generate(OcspRespStatus.Successful, basic).GetEncoded();
    }

    /// <summary>
    /// Whether the request item names this CA. An item whose hash algorithm cannot be computed (found by fuzzing:
    /// BouncyCastle throws) cannot name this CA either and is answered "unknown".
    /// </summary>
    private static bool IsIssuedBy(CertificateID id, CaSigner ca)
    {
        try
        {
            return id.MatchesIssuer(ca.BouncyCastleCertificate);
        }
        catch (OcspException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="responseDer"/> may answer the same <paramref name="requestDer"/> again: the request has
    /// no nonce (the answer would echo it), and the answer is a signed one that knows every certificate asked about
    /// (an "unknown" may become "good" when the certificate is issued, which changes no revocation stamp).
    /// </summary>
    public static bool IsReusable(byte[] requestDer, byte[] responseDer)
    {
        try
        {
            if (new OcspReq(requestDer).RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce) is not null)
            {
                return false;
            }
            var response = new OcspResp(responseDer);
            return response.Status == OcspRespStatus.Successful && response.GetResponseObject() is BasicOcspResp basic
                && basic.Responses.All(r => r.GetCertStatus() is null || r.GetCertStatus() is RevokedStatus);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or InvalidOperationException or OcspException)
        {
            return false;
        }
    }

    private static byte[] Error(int status) => new OCSPRespGenerator().Generate(status, null).GetEncoded();

    private static string SignatureName(CaSigner ca) =>
        $"{ca.Hash.Name}WITH{(ca.Key is System.Security.Cryptography.RSA ? "RSA" : "ECDSA")}";

    /// <summary>Upper-case hex as the ledger stores it: 16 bytes for portal serials, no sign byte.</summary>
    private static string ToHex(Org.BouncyCastle.Math.BigInteger serial) =>
        Convert.ToHexString(serial.ToByteArrayUnsigned());
}
