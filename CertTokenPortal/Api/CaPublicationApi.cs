using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using CertTokenPortal.Core.CaConnectors.Publication;

namespace CertTokenPortal.Api;

/// <summary>
/// The URLs issued certificates point to (CRL distribution point, AIA caIssuers and OCSP), served without login so
/// that any relying party can check a certificate.
/// </summary>
internal static class CaPublicationApi
{
    private const string CertificateType = "application/pkix-cert";
    private const string CrlType = "application/pkix-crl";
    private const string OcspResponseType = "application/ocsp-response";
    private const string PemType = "application/x-pem-file";

    /// <summary>OCSP requests are a few hundred bytes; anything much larger is not one.</summary>
    private const int MaxOcspRequestBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapCaPublicationApi(this IEndpointRouteBuilder app)
    {
        var ca = app.MapGroup("/ca/{name}").AllowAnonymous().DisableAntiforgery();

        ca.MapGet("/cert", async (string name, CaPublication publication, CancellationToken ct) =>
            Artifact(await publication.GetCertificateAsync(name, ct), CertificateType, pem: false));
        ca.MapGet("/cert.pem", async (string name, CaPublication publication, CancellationToken ct) =>
            Artifact(await publication.GetCertificateAsync(name, ct), PemType, pem: true));
        ca.MapGet("/crl", async (string name, CaPublication publication, CancellationToken ct) =>
            Artifact(await publication.GetCrlAsync(name, ct), CrlType, pem: false));
        ca.MapGet("/crl.pem", async (string name, CaPublication publication, CancellationToken ct) =>
            Artifact(await publication.GetCrlAsync(name, ct), PemType, pem: true));

        ca.MapPost("/ocsp", async (string name, HttpRequest request, CaPublication publication, CancellationToken ct) =>
        {
            var body = await ApiParameters.ReadBodyAsync(request, MaxOcspRequestBytes, ct);
            if (body is null)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }
            return Der(await publication.RespondOcspAsync(name, body, ct), OcspResponseType);
        });
        // RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER request}. The base64 may hold '/', so
        // the rest of the path is taken whole.
        ca.MapGet("/ocsp/{**request}", async (string name, string request, CaPublication publication, CancellationToken ct) =>
        {
            var der = DecodeOcspGet(request);
            return der is null
                ? Results.BadRequest("The OCSP request in the URL is not base64.")
                : Der(await publication.RespondOcspAsync(name, der, ct), OcspResponseType);
        });
        return app;
    }

    private static byte[]? DecodeOcspGet(string request)
    {
        var base64 = Uri.UnescapeDataString(request).Replace(' ', '+');
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            try
            {
                return WebEncoders.Base64UrlDecode(base64);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    private static IResult Der(Result<byte[]> result, string contentType) =>
        result.IsSuccess ? Results.Bytes(result.Value, contentType) : Failure(result.Error);

    /// <summary>
    /// The pre-encoded bytes with a strong ETag and Last-Modified; the file result answers If-None-Match and
    /// If-Modified-Since with 304, so a relying party's cache revalidates without the body.
    /// </summary>
    private static IResult Artifact(Result<PublishedArtifact> result, string contentType, bool pem)
    {
        if (!result.TryGetValue(out var artifact, out var error))
        {
            return Failure(error);
        }
        var tag = new EntityTagHeaderValue(pem ? $"\"{artifact.Tag}-pem\"" : $"\"{artifact.Tag}\"");
        return Results.Bytes(pem ? artifact.Pem : artifact.Der, contentType, lastModified: artifact.LastModified, entityTag: tag);
    }

    private static IResult Failure(PortalError error) => error.Kind switch
    {
        ErrorKind.NotFound => Results.Text(error.Message, statusCode: StatusCodes.Status404NotFound),
        _ => Results.Text(error.Message, statusCode: StatusCodes.Status400BadRequest),
    };
}
