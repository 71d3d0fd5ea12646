using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Core.Tokens.Listing;

namespace CertTokenPortal.Api;

/// <summary>
/// The certificate-token endpoints in privacyIDEA's dialect: enrol (<c>/token/init</c>), list, revoke, delete,
/// downloads, and the small changes. Each reads its parameters, calls one Core use case and maps the result.
/// </summary>
public static class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder api)
    {
        var token = api.MapGroup("/token").WithTags("Tokens");
        token.MapPost("/init", InitAsync).WithSummary("Enrol a certificate token: type=certificate and one of request, genkey=1 or certificate.");
        token.MapGet("/", ListAsync).WithSummary("List tokens: serial (* wildcards), user, realm, type, rollout_state, active, revoked, page, pagesize, sortby, sortdir, outform=csv.");
        token.MapGet("/{serial}", GetAsync).WithSummary("One token.");
        token.MapPost("/revoke", (HttpContext http, RevokeTokenCommand revoke) => RevokeAsync(http, revoke, null))
            .WithSummary("Revoke: serial, reason (RFC 5280 name). Revokes at the CA and republishes its CRL.");
        token.MapPost("/revoke/{serial}", (HttpContext http, RevokeTokenCommand revoke, string serial) => RevokeAsync(http, revoke, serial))
            .WithSummary("Revoke the token in the path.");
        token.MapDelete("/{serial}", DeleteAsync).WithSummary("Delete a token; a still valid certificate is revoked first.");
        token.MapGet("/{serial}/pkcs12", Pkcs12Async).WithSummary("The stored PKCS#12 of a generated key (admin or owner).");
        token.MapGet("/{serial}/certificate", CertificateAsync).WithSummary("The certificate: format=pem (default), der, chain or p7b.");
        token.MapPost("/enable", (HttpContext h, SetTokenActiveCommand u) => SetActiveAsync(h, u, null, true));
        token.MapPost("/enable/{serial}", (HttpContext h, SetTokenActiveCommand u, string serial) => SetActiveAsync(h, u, serial, true));
        token.MapPost("/disable", (HttpContext h, SetTokenActiveCommand u) => SetActiveAsync(h, u, null, false));
        token.MapPost("/disable/{serial}", (HttpContext h, SetTokenActiveCommand u, string serial) => SetActiveAsync(h, u, serial, false));
        token.MapPost("/setpin", SetPinAsync).WithSummary("Set the token PIN: serial, pin (or otppin).");
        token.MapPost("/set", (HttpContext h, SetTokenDescriptionCommand u) => SetDescriptionAsync(h, u, null));
        token.MapPost("/description/{serial}", (HttpContext h, SetTokenDescriptionCommand u, string serial) => SetDescriptionAsync(h, u, serial));
        return api;
    }

    private static async Task<IResult> InitAsync(HttpContext http, EnrolTokenCommand enrol)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (!string.Equals(p["type"]?.Trim(), CertificateToken.TypeName, StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.Fail(PortalError.Validation(string.IsNullOrWhiteSpace(p["type"])
                ? "Give the token type: type=certificate."
                : $"This portal enrols certificate tokens only; type '{p["type"]}' is not offered."));
        }

        var request = new EnrolmentRequest
        {
            UserName = p["user"],
            Realm = p["realm"],
            CaName = p["ca"],
            TemplateName = p["template"],
            Csr = p["request"],
            GenerateKey = p.Bool("genkey") == true,
            KeyType = p["keytype"],
            KeySize = p["keysize"],
            Curve = p["curve"],
            SubjectComponents = p["subject_components"],
            CertificatePem = p["certificate"],
            Pin = p["pin"],
            Description = p["description"],
            Attestation = p["attestation"],
        };
        var result = await enrol.ExecuteAsync(http.Actor(), request, http.RequestAborted);
        return ApiResults.From(result,
            r => r.Token.RolloutState is RolloutState.Enrolled or RolloutState.Pending,
            r => new Dictionary<string, object?>
            {
                ["serial"] = r.Token.Serial,
                ["certificate"] = r.Token.CertificatePem,
                ["rollout_state"] = r.Token.RolloutState.ToName(),
                ["requestId"] = r.Token.RequestId,
                ["message"] = r.Token.FailureMessage,
                ["attestation"] = r.Token.Attestation,
                ["pkcs12"] = r.Pkcs12 is null ? null : Convert.ToBase64String(r.Pkcs12),
                ["pkcs12_password"] = r.Pkcs12Password,
            });
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListTokensQuery list, ExportTokensCsvQuery csv)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (!TokenQueryReader.Read(p).TryGetValue(out var query, out var queryError))
        {
            return ApiResults.Fail(queryError);
        }

        if (string.Equals(p["outform"], "csv", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"tokens.csv\"";
            await csv.ExecuteAsync(http.Actor(), query, http.Response.Body, http.RequestAborted);
            return Results.Empty;
        }

        var page = await list.ExecuteAsync(http.Actor(), query, http.RequestAborted);
        return ApiResults.From(page, r => new Dictionary<string, object?>
        {
            ["tokens"] = r.Tokens.Select(TokenJson.From).ToList(),
            ["count"] = r.Count,
            ["current"] = r.Current,
            ["prev"] = r.Prev,
            ["next"] = r.Next,
        });
    }

    private static async Task<IResult> GetAsync(HttpContext http, GetTokenQuery get, string serial) =>
        ApiResults.From(await get.ExecuteAsync(http.Actor(), serial, http.RequestAborted), TokenJson.From);

    private static async Task<IResult> RevokeAsync(HttpContext http, RevokeTokenCommand revoke, string? pathSerial)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var result = await revoke.ExecuteAsync(http.Actor(), pathSerial ?? p["serial"] ?? "", p["reason"], http.RequestAborted);
        return ApiResults.From(result, _ => 1);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, DeleteTokenCommand delete, string serial)
    {
        var result = await delete.ExecuteAsync(http.Actor(), serial, http.RequestAborted);
        return ApiResults.From(result, 1);
    }

    private static async Task<IResult> Pkcs12Async(HttpContext http, DownloadPkcs12Query download, string serial)
    {
        var result = await download.ExecuteAsync(http.Actor(), serial, http.RequestAborted);
        return result.TryGetValue(out var pkcs12, out var error)
            ? Results.File(pkcs12, "application/x-pkcs12", $"{serial}.p12")
            : ApiResults.Fail(error);
    }

    private static async Task<IResult> CertificateAsync(HttpContext http, ExportCertificateQuery export, string serial, string? format)
    {
        if (!ExportCertificateQuery.TryParseFormat(format, out var parsed))
        {
            return ApiResults.Fail(PortalError.Validation($"format '{format}' is not offered; use pem, der, chain or p7b."));
        }
        var result = await export.ExecuteAsync(http.Actor(), serial, parsed, http.RequestAborted);
        return result.TryGetValue(out var file, out var error)
            ? Results.File(file.Content, file.ContentType, file.FileName)
            : ApiResults.Fail(error);
    }

    private static async Task<IResult> SetActiveAsync(HttpContext http, SetTokenActiveCommand update, string? pathSerial, bool active)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        return ApiResults.From(await update.ExecuteAsync(http.Actor(), pathSerial ?? p["serial"] ?? "", active, http.RequestAborted), _ => 1);
    }

    private static async Task<IResult> SetPinAsync(HttpContext http, SetTokenPinCommand update)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var pin = p["pin"] ?? p["otppin"] ?? p["userpin"];
        return ApiResults.From(await update.ExecuteAsync(http.Actor(), p["serial"] ?? "", pin, http.RequestAborted), _ => 1);
    }

    private static async Task<IResult> SetDescriptionAsync(HttpContext http, SetTokenDescriptionCommand update, string? pathSerial)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (p["description"] is null)
        {
            return ApiResults.Fail(PortalError.Validation("Give the new 'description'."));
        }
        return ApiResults.From(await update.ExecuteAsync(http.Actor(), pathSerial ?? p["serial"] ?? "", p["description"], http.RequestAborted), _ => 1);
    }
}
