using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens.Renewal;
using CertTokenPortal.Hosting;

namespace CertTokenPortal.Api;

/// <summary>
/// Renewal and rekey of a token that keeps its serial (<c>/token/renew/&lt;serial&gt;</c>, with /token/init's
/// parameters), its renewal options and its certificate history.
/// </summary>
public static class RenewalApi
{
    private const string RenewSummary =
        "Renew a token; it keeps its serial. No key parameter: renew with the same key (the stored public key is certified again). " +
        "request (a PKCS#10 CSR): rekey with a new key the client holds. genkey=1 (keytype, keysize, curve; pin): rekey with a new key made on the server, " +
        "whose PKCS#12 comes back in detail.pkcs12, protected by pin or by detail.pkcs12_password (shown once). Also subject_components and attestation, as for /token/init.";

    private const string RenewDescription =
        "The token's CA and template are used again, under the owner's current policy (CA, template, key rules, PIN rules, attestation) and the template's " +
        "name rules. End users renew their own tokens from the template's renewal window (renewal_window_days before expiry; outside it 400 with the date it " +
        "opens); admins and helpdesk at any time. The replaced certificate is revoked as superseded after the template's superseded_grace_days (0: at once) or left " +
        "to expire (detail.replaced_revoke_after). A CA that waits for approval answers detail.rollout_state=pending with detail.requestId: the token keeps its " +
        "certificate until an admin approves (POST /token/approve/<serial>). Refused: a revoked token (400, code 1007), a token on hold (409), a same-key renewal " +
        "after keyCompromise, when the template forbids it (renew_same_key=false) or at an approval CA (400), a key weaker than the policy allows (403), " +
        "someone else's token for a user (404), a renewal that waits already or a concurrent one that lost (409). Nothing is written for a refusal but its audit entry.";

    public static IEndpointRouteBuilder MapRenewalApi(this IEndpointRouteBuilder api)
    {
        var token = api.MapGroup("/token").WithTags("Tokens");
        token.MapPost("/renew/{serial}", (HttpContext http, RenewTokenCommand renew, string serial) => RenewAsync(http, renew, serial))
            .RequireEnrolmentRateLimit().WithSummary(RenewSummary).WithDescription(RenewDescription)
            .Produces(StatusCodes.Status503ServiceUnavailable);
        token.MapPost("/renew", (HttpContext http, RenewTokenCommand renew) => RenewAsync(http, renew, null))
            .RequireEnrolmentRateLimit().WithSummary("Renew the token named by the parameter serial; otherwise as POST /token/renew/<serial>.");
        token.MapGet("/renew/{serial}", OptionsAsync).WithSummary(
            "What a renewal of the token would be: not_after, window_opens (when end users may renew; window_applies is false for staff), open_now, " +
            "rules (the template's renewal rule in words), same_key_allowed, new_key_allowed, problem (why it cannot be renewed, if so).");
        token.MapGet("/{serial}/certificates", HistoryAsync).WithSummary(
            "Every certificate the token holds or held, newest first: state (current, pending, superseded, revoked, denied), origin (enrolment, renewal, rekey), " +
            "reason, certificate_serial, subject, key, not_before, not_after, requestId, revoke_after, revoked_at, created_by, created_at, certificate (PEM).");
        return api;
    }

    private static async Task<IResult> RenewAsync(HttpContext http, RenewTokenCommand renew, string? pathSerial)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var serial = (pathSerial ?? p["serial"])?.Trim();
        if (string.IsNullOrEmpty(serial))
        {
            return ApiResults.Fail(PortalError.Validation("Give the serial of the token to renew ('serial')."));
        }
        if (!string.IsNullOrWhiteSpace(p["certificate"]))
        {
            return ApiResults.Fail(PortalError.Validation("A token is renewed by a CA: give request (a CSR), genkey=1, or neither for the same key; an uploaded certificate is enrolled as a new token."));
        }
        if (p["type"] is { } type && !string.Equals(type.Trim(), "certificate", StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.Fail(PortalError.Validation($"Only certificate tokens are renewed; type '{type}' is not offered."));
        }
        if (p.Has("genkey") && p.Bool("genkey") is null)
        {
            return ApiResults.Fail(PortalError.Validation($"genkey '{p["genkey"]}' is not 1/0 or true/false."));
        }
        var request = KeyParameters.Read(p, new RenewalRequest(serial));
        if (request.GenerateKey && !string.IsNullOrWhiteSpace(request.Csr))
        {
            return ApiResults.Fail(PortalError.Validation("Give request or genkey=1, not both."));
        }
        var result = await renew.ExecuteAsync(http.Actor(), request, http.RequestAborted);
        return ApiResults.From(result, r => r.State is "enrolled" or "pending", Detail);
    }

    /// <summary>privacyIDEA's <c>detail</c>, as /token/init gives it, plus what the renewal did to the replaced certificate.</summary>
    private static Dictionary<string, object?> Detail(RenewalResult r)
    {
        var detail = new Dictionary<string, object?>
        {
            ["serial"] = r.Token.Serial,
            ["rollout_state"] = r.State,
            ["mode"] = r.Mode.ToName(),
        };
        void AddIf(string key, object? value)
        {
            if (value is not null)
            {
                detail[key] = value;
            }
        }
        AddIf("certificate", r.State == "enrolled" ? r.Token.CertificatePem : null);
        AddIf("requestId", r.RequestId);
        AddIf("message", r.Message);
        AddIf("replaced_certificate_serial", r.ReplacedCertificateSerial);
        if (r.ReplacedCertificateSerial is not null)
        {
            detail["replaced_revoke_after"] = TokenJson.Iso(r.ReplacedRevokeAfter); // null: left to expire
        }
        AddIf("pkcs12", r.Pkcs12 is null ? null : Convert.ToBase64String(r.Pkcs12));
        AddIf("pkcs12_password", r.Pkcs12Password);
        return detail;
    }

    private static async Task<IResult> OptionsAsync(HttpContext http, RenewalOptionsQuery options, string serial) =>
        ApiResults.From(await options.ExecuteAsync(http.Actor(), serial, http.RequestAborted), o => new Dictionary<string, object?>
        {
            ["serial"] = o.Serial,
            ["not_after"] = TokenJson.Iso(o.NotAfter),
            ["window_opens"] = TokenJson.Iso(o.WindowOpensAt),
            ["window_applies"] = o.WindowApplies,
            ["open_now"] = o.OpenNow,
            ["rules"] = o.Rules,
            ["same_key_allowed"] = o.SameKeyAllowed,
            ["new_key_allowed"] = o.NewKeyAllowed,
            ["problem"] = o.Problem,
        });

    private static async Task<IResult> HistoryAsync(HttpContext http, TokenCertificatesQuery history, string serial) =>
        ApiResults.From(await history.ExecuteAsync(http.Actor(), serial, http.RequestAborted), rows => rows.Select(c => new Dictionary<string, object?>
        {
            ["state"] = c.State,
            ["origin"] = c.Origin,
            ["reason"] = c.Reason,
            ["certificate_serial"] = c.CertificateSerial,
            ["subject"] = c.Subject,
            ["key"] = c.KeyDescription,
            ["not_before"] = TokenJson.Iso(c.NotBefore),
            ["not_after"] = TokenJson.Iso(c.NotAfter),
            ["requestId"] = c.RequestId,
            ["revoke_after"] = TokenJson.Iso(c.RevokeAfter),
            ["revoked_at"] = TokenJson.Iso(c.RevokedAt),
            ["created_by"] = c.CreatedBy,
            ["created_at"] = TokenJson.Iso(c.CreatedAt),
            ["certificate"] = c.CertificatePem,
        }).ToList());
}
