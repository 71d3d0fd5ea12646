using CertTokenPortal.Hosting;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Info;
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
        token.MapPost("/init", InitAsync).RequireEnrolmentRateLimit().WithSummary(
            "Enrol a certificate token: type=certificate and one of request, genkey=1 or certificate; user (name or name@realm), realm, serial " +
            "(chosen serial, 400 if taken), ca, template, pin, description, attestation. detail holds only the keys that apply.")
            .WithDescription("Names are bound by the template: a name the template refuses answers 400 naming the name and the rule. " +
                             "The owner's policy applies whoever enrols; nobody enrols for an account above their own role (403). " +
                             "An uploaded certificate must be an end-entity certificate, valid now, with a strong key, alone, and chain to a CA of the portal " +
                             "(policy certificate_upload_trust=any takes others, marked untrusted in info.upload_trust; certificate_allow_upload=false forbids uploads). " +
                             "When key generation and signing are busy: 503 with a Retry-After header and detail.retry_after (seconds).")
            .Produces(StatusCodes.Status503ServiceUnavailable);
        token.MapGet("/", ListAsync).WithSummary(
            "List tokens. Every parameter is applied or refused with a 400 naming it: serial (comma list, * wildcards), type (* wildcards), " +
            "type_list (comma list), user (name or name@realm), realm, tokenrealm (comma list, * wildcards), userid (* wildcards), description (* wildcards), " +
            "assigned, active, revoked (True/False), rollout_state (enrolled, pending, denied, failed), infokey + infovalue (* wildcards), " +
            "container_serial (empty only: no token is in a container), hidden_tokeninfo (comma list of info keys; pkcs12 leaves the files out), subject, ca, template, q, " +
            "page (1-based), pagesize (no upper limit), sortby (unknown falls back to serial), sortdir (asc/desc), outform=csv, expires_within (days: certificates in use that expire within them). resolver is refused.")
            .WithDescription("Each token is privacyIDEA's token dict; info holds string values, among them keys admins set with /token/info and, as privacyIDEA's " +
                             "certificate token does, pkcs12 (base64, protected by the token PIN) for a key generated on the server: only for callers who may " +
                             "download it (admins and the owner, not helpdesk). A listing that carries files is audited with their serials.");
        token.MapGet("/{serial}", GetAsync).WithSummary("One token, in the same shape as in the list (info.pkcs12 for admins and the owner).");
        token.MapPost("/revoke", (HttpContext http, RevokeTokenCommand revoke, ListTokensQuery list) => RevokeAsync(http, revoke, list, null))
            .WithSummary("Revoke: serial, or user (name or name@realm) and realm for all of that user's tokens; reason (RFC 5280 name). Revokes at the CA and republishes its CRL; value = number revoked.")
            .WithDescription("For an uploaded certificate no CA is asked: detail.message says so and detail.ca_asked is false; info.revocation_note keeps it.");
        token.MapPost("/revoke/{serial}", (HttpContext http, RevokeTokenCommand revoke, ListTokensQuery list, string serial) => RevokeAsync(http, revoke, list, serial))
            .WithSummary("Revoke the token in the path.");
        token.MapDelete("/{serial}", DeleteAsync).WithSummary("Delete a token; a still valid certificate is revoked first.");
        token.MapDelete("/", (HttpContext h, DeleteTokenCommand d, string? serial) => DeleteAsync(h, d, serial ?? ""))
            .WithSummary("privacyIDEA's DELETE /token/?serial=...: delete the token named in the query.");
        token.MapPost("/assign", AssignAsync).WithSummary("Assign a token without owner: serial, user (name or name@realm), realm (admin, helpdesk).");
        token.MapPost("/unassign", UnassignAsync).WithSummary("Remove the owner of a token: serial (admin, helpdesk); the token keeps its realm.");
        token.MapPost("/description", (HttpContext h, SetTokenDescriptionCommand u) => SetDescriptionAsync(h, u, null))
            .WithSummary("Set the description: serial, description.");
        token.MapPost("/release", (HttpContext http, ReleaseTokenCommand release) => ReleaseAsync(http, release, null))
            .WithSummary("Release a token from hold (certificateHold): serial. Staff only; the CRL is republished without it.");
        token.MapPost("/release/{serial}", (HttpContext http, ReleaseTokenCommand release, string serial) => ReleaseAsync(http, release, serial))
            .WithSummary("Release the token from hold (certificateHold). Staff only; the CRL is republished without it.");
        token.MapGet("/{serial}/pkcs12", Pkcs12Async).WithSummary("The stored PKCS#12 of a generated key (admin or owner).");
        token.MapGet("/{serial}/certificate", CertificateAsync).WithSummary("The certificate: format=pem (default), der, chain or p7b.");
        token.MapPost("/enable", (HttpContext h, SetTokenActiveCommand u) => SetActiveAsync(h, u, null, true));
        token.MapPost("/enable/{serial}", (HttpContext h, SetTokenActiveCommand u, string serial) => SetActiveAsync(h, u, serial, true));
        token.MapPost("/disable", (HttpContext h, SetTokenActiveCommand u) => SetActiveAsync(h, u, null, false));
        token.MapPost("/disable/{serial}", (HttpContext h, SetTokenActiveCommand u, string serial) => SetActiveAsync(h, u, serial, false));
        token.MapPost("/setpin/{serial}", (HttpContext h, SetTokenPinCommand u, string serial) => SetPinAsync(h, u, serial))
            .WithSummary("Set the PIN of the token in the path; parameters as /token/setpin.");
        token.MapPost("/setpin", (HttpContext h, SetTokenPinCommand u) => SetPinAsync(h, u, null)).WithSummary(
            "Set the token PIN: serial, otppin (or pin, userpin) and, for a token with a stored PKCS#12, current_pin. value = 1.")
            .WithDescription("A token whose key was generated on the server keeps its PKCS#12 protected by the PIN; the portal holds only the PIN's hash. " +
                             "current_pin (the portal's extension: the current PIN, or the one-time password shown at enrolment) opens the file, which is then " +
                             "protected by the new PIN: the next download opens with the new PIN only. A missing or wrong current_pin answers 400 and changes nothing. " +
                             "A revoked token's PIN cannot be changed (400, privacyIDEA's 1007).");
        token.MapPost("/set", SetAsync).WithSummary("privacyIDEA's /token/set: serial and description; its OTP settings do not apply to certificate tokens and are refused.");
        token.MapPost("/info/{serial}/{key}", SetInfoAsync).WithSummary(
            "privacyIDEA's set_tokeninfo: set (or overwrite) the info key in the path to 'value' (admin). value = true.")
            .WithDescription($"key: 1 to {InputLimits.MaxTokenInfoKeyLength} letters, digits, '.', '_' or '-'; value: 1 to {InputLimits.MaxTokenInfoValueLength} characters; " +
                             $"at most {InputLimits.MaxTokenInfoEntries} entries per token. The portal's own keys (certificate, CA, template, request, requestId, pkcs12, " +
                             "attestation, ...) cannot be set: 400 naming the key. The entry appears in the token's info and infokey/infovalue finds it.");
        token.MapDelete("/info/{serial}/{key}", DeleteInfoAsync).WithSummary(
            "privacyIDEA's delete_tokeninfo: remove the info key in the path (admin). value = true, also when the token did not have the key; the portal's own keys cannot be deleted.");
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

        if (p.Has("serial") && string.IsNullOrWhiteSpace(p["serial"]))
        {
            return ApiResults.Fail(PortalError.Validation("serial is empty; give the serial to use or leave it out for a new one."));
        }
        var (user, realm) = TokenQueryReader.UserAndRealm(p["user"], p["realm"]);
        var request = KeyParameters.Read(p, new EnrolmentRequest
        {
            Serial = p["serial"]?.Trim(),
            UserName = user,
            Realm = realm,
            CaName = p["ca"],
            TemplateName = p["template"],
            CertificatePem = p["certificate"],
            Description = p["description"],
        });
        var result = await enrol.ExecuteAsync(http.Actor(), request, http.RequestAborted);
        return ApiResults.From(result,
            r => r.Token.RolloutState is RolloutState.Enrolled or RolloutState.Pending,
            InitDetail);
    }

    /// <summary>privacyIDEA's <c>detail</c> of <c>/token/init</c>: only the keys that apply to this enrolment.</summary>
    private static Dictionary<string, object?> InitDetail(EnrolmentResult r)
    {
        var detail = new Dictionary<string, object?>
        {
            ["serial"] = r.Token.Serial,
            ["rollout_state"] = r.Token.RolloutState.ToName(),
        };
        void AddIf(string key, object? value)
        {
            if (value is not null)
            {
                detail[key] = value;
            }
        }
        AddIf("certificate", r.Token.CertificatePem);
        AddIf("requestId", r.Token.RolloutState == RolloutState.Pending ? r.Token.RequestId : null);
        AddIf("message", r.Token.FailureMessage);
        AddIf("attestation", r.Token.Attestation);
        AddIf("pkcs12", r.Pkcs12 is null ? null : Convert.ToBase64String(r.Pkcs12));
        AddIf("pkcs12_password", r.Pkcs12Password);
        return detail;
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

        var hidden = TokenQueryReader.HiddenInfo(p);
        // privacyIDEA's info.pkcs12, unless the client hides it (then no file is even read).
        query = query with { IncludePkcs12 = hidden?.Contains("pkcs12") != true };
        var page = await list.ExecuteAsync(http.Actor(), query, http.RequestAborted);
        return ApiResults.From(page, r => new Dictionary<string, object?>
        {
            ["tokens"] = r.Tokens.Select(t => TokenJson.From(t, hidden)).ToList(),
            ["count"] = r.Count,
            ["current"] = r.Current,
            ["prev"] = r.Prev,
            ["next"] = r.Next,
        });
    }

    private static async Task<IResult> GetAsync(HttpContext http, GetTokenQuery get, string serial) =>
        ApiResults.From(await get.ExecuteAsync(http.Actor(), serial, includePkcs12: true, http.RequestAborted), TokenJson.From);

    private static async Task<IResult> RevokeAsync(HttpContext http, RevokeTokenCommand revoke, ListTokensQuery list, string? pathSerial)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var serial = pathSerial ?? p["serial"];
        if (string.IsNullOrWhiteSpace(serial) && !string.IsNullOrWhiteSpace(p["user"]))
        {
            return await RevokeAllOfUserAsync(http, revoke, list, p);
        }
        var result = await revoke.ExecuteAsync(http.Actor(), serial ?? "", p["reason"], http.RequestAborted);
        // An uploaded certificate was revoked in the portal only: the answer says so plainly.
        return ApiResults.From(result, _ => 1, t => t.RevocationNote is { } note ? new Dictionary<string, object?> { ["message"] = note, ["ca_asked"] = false } : null);
    }

    /// <summary>
    /// privacyIDEA's <c>/token/revoke</c> with <c>user</c>: every token of that user not yet revoked, each through the
    /// same use case as one token (so each is authorized, revoked at its CA and audited); value = how many.
    /// </summary>
    private static async Task<IResult> RevokeAllOfUserAsync(HttpContext http, RevokeTokenCommand revoke, ListTokensQuery list, ApiParameters p)
    {
        var (user, realm) = TokenQueryReader.UserAndRealm(p["user"], p["realm"]);
        var query = new TokenQuery { UserName = user, Realm = realm, Revoked = false, PageSize = 1000 };
        var revoked = 0;
        while (true)
        {
            if (!(await list.ExecuteAsync(http.Actor(), query, http.RequestAborted)).TryGetValue(out var page, out var listError))
            {
                return ApiResults.Fail(listError);
            }
            var progress = 0;
            foreach (var token in page.Tokens.Where(t => t.RolloutState == RolloutState.Enrolled))
            {
                var result = await revoke.ExecuteAsync(http.Actor(), token.Serial, p["reason"], http.RequestAborted);
                if (!result.IsSuccess)
                {
                    return ApiResults.Fail(result.Error with { Message = $"{result.Error.Message} ({revoked} of the user's tokens were revoked before this one.)" });
                }
                revoked++;
                progress++;
            }
            if (progress == 0 || page.Next is null)
            {
                return ApiResults.Ok(revoked);
            }
        }
    }

    private static async Task<IResult> ReleaseAsync(HttpContext http, ReleaseTokenCommand release, string? pathSerial)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        return ApiResults.From(await release.ExecuteAsync(http.Actor(), pathSerial ?? p["serial"] ?? "", http.RequestAborted), _ => 1);
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

    private static async Task<IResult> AssignAsync(HttpContext http, AssignTokenCommand assign)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var (user, realm) = TokenQueryReader.UserAndRealm(p["user"], p["realm"]);
        return ApiResults.From(await assign.ExecuteAsync(http.Actor(), p["serial"] ?? "", user ?? "", realm ?? "", http.RequestAborted), _ => true);
    }

    private static async Task<IResult> UnassignAsync(HttpContext http, UnassignTokenCommand unassign)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        return ApiResults.From(await unassign.ExecuteAsync(http.Actor(), p["serial"] ?? "", http.RequestAborted), _ => 1);
    }

    /// <summary>privacyIDEA's OTP settings of <c>/token/set</c>: refused by name rather than ignored.</summary>
    private static readonly string[] OtpSettings =
        ["count_window", "sync_window", "max_failcount", "count_auth_max", "count_auth_success_max", "hashlib", "otplen",
         "validity_period_start", "validity_period_end", "pin"];

    private static async Task<IResult> SetAsync(HttpContext http, SetTokenDescriptionCommand update)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (OtpSettings.FirstOrDefault(p.Has) is { } otp)
        {
            return ApiResults.Fail(PortalError.Validation($"{otp} is an OTP setting of privacyIDEA and does not apply to certificate tokens; /token/set takes description."));
        }
        if (p.Names.FirstOrDefault(n => n is not ("serial" or "description" or "user" or "realm")) is { } unknown)
        {
            return ApiResults.Fail(PortalError.Validation($"Unknown parameter '{unknown}' for /token/set; it takes serial and description."));
        }
        return await SetDescriptionAsync(http, update, null, p);
    }

    private static async Task<IResult> SetPinAsync(HttpContext http, SetTokenPinCommand update, string? serial)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var pin = p["otppin"] ?? p["pin"] ?? p["userpin"];
        var change = new TokenPinChange(serial ?? p["serial"] ?? "", pin, p["current_pin"]);
        return ApiResults.From(await update.ExecuteAsync(http.Actor(), change, http.RequestAborted), _ => 1);
    }

    private static async Task<IResult> SetInfoAsync(HttpContext http, SetTokenInfoCommand set, string serial, string key)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (p.Names.FirstOrDefault(n => n != "value") is { } unknown)
        {
            return ApiResults.Fail(PortalError.Validation($"Unknown parameter '{unknown}' for /token/info/<serial>/<key>; it takes value."));
        }
        return ApiResults.From(await set.ExecuteAsync(http.Actor(), new TokenInfoValue(serial, key, p["value"]), http.RequestAborted), _ => true);
    }

    private static async Task<IResult> DeleteInfoAsync(HttpContext http, DeleteTokenInfoCommand delete, string serial, string key) =>
        ApiResults.From(await delete.ExecuteAsync(http.Actor(), new TokenInfoKey(serial, key), http.RequestAborted), _ => true);

    private static async Task<IResult> SetDescriptionAsync(HttpContext http, SetTokenDescriptionCommand update, string? pathSerial)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        return await SetDescriptionAsync(http, update, pathSerial, p);
    }

    private static async Task<IResult> SetDescriptionAsync(HttpContext http, SetTokenDescriptionCommand update, string? pathSerial, ApiParameters p)
    {
        if (p["description"] is null)
        {
            return ApiResults.Fail(PortalError.Validation("Give the new 'description'."));
        }
        return ApiResults.From(await update.ExecuteAsync(http.Actor(), pathSerial ?? p["serial"] ?? "", p["description"], http.RequestAborted), _ => 1);
    }
}
