using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Api;

/// <summary>
/// <c>/caconnector/</c>: list CA connectors (admin, helpdesk), create a local root CA or import one, templates, CRL
/// publication, deletion (admin). Secrets are never returned.
/// </summary>
public static class CaApi
{
    public static IEndpointRouteBuilder MapCaApi(this IEndpointRouteBuilder api)
    {
        var ca = api.MapGroup("/caconnector").WithTags("CA connectors");
        ca.MapGet("/", ListAsync).WithSummary("List CA connectors with their templates.");
        ca.MapGet("/{name}", GetAsync).WithSummary(
            "privacyIDEA's GET /caconnector/<name>: a list with the connector of that name as {connectorname, type, data, templates} (never a secret), empty for an unknown name.");
        ca.MapPost("/{name}", SaveAsync).RequirePermission(Permission.ManageCaConnectors, AuditActions.CaCreate).WithSummary(
            "Create a CA connector, or update the existing one of that name (privacyIDEA's update semantics). Create a local CA: type=local with subject, keytype, " +
            "keysize/curve, validity_days (new root; with parent=<local CA> a subordinate CA signed by that CA, valid at most as long as its parent); or cacert + cakey (+ cakey_password), or pkcs12 + pkcs12_password (import). crl_validity_days, crl_overlap_days. " +
            "Or an approval-gated CA: type=approval with signer (a local CA that signs once an admin approves).")
            .WithDescription("Update: only the parameters given replace the stored settings, the others are kept: crl_validity_days, crl_overlap_days (local), " +
                             "signer (approval), default_template (an existing template of the CA); type may be given but not changed (400). The key and certificate " +
                             "of an existing CA (subject, keytype, keysize, curve, validity_days, cacert, cakey, pkcs12 and their passwords) cannot be changed: 400 naming " +
                             "the parameter. Empty values, non-numbers and unknown parameters answer 400 and change nothing. The answer never holds a secret.");
        ca.MapDelete("/{name}", DeleteAsync).RequirePermission(Permission.ManageCaConnectors, AuditActions.CaDelete).WithSummary("Delete a CA connector that issued nothing.");
        ca.MapPost("/{name}/template/{template}", SetTemplateAsync).RequirePermission(Permission.ManageCaConnectors, AuditActions.CaTemplate).WithSummary(
            "Create or replace a template: days, key_usage, extended_key_usage, copy_san, subject_components, default; names: subject_source (owner or csr), " +
            "allowed_rdns, san_types, dns_patterns, email_patterns, max_sans, staff_only; renewal: renewal_window_days (end users renew from this many days before expiry, default 30), " +
            "superseded_grace_days (days until a replaced certificate is revoked as superseded: 0 at once, 'never' leaves it to expire, the default), renew_same_key (default true). " +
            "Renewal settings left out keep their current values. " +
            "With subject_source=owner: subject_cn (username or displayname: the CN " +
            "is the owner's user name or display name) and email_san (true: the account's email in an rfc822Name SAN).");
        ca.MapDelete("/{name}/template/{template}", DeleteTemplateAsync).RequirePermission(Permission.ManageCaConnectors, AuditActions.CaTemplate).WithSummary("Delete a template.");
        ca.MapGet("/{name}/crl", CrlStatusAsync).WithSummary("The status of the CA's CRL: number, this and next update, revoked count.");
        ca.MapPost("/{name}/crl", PublishCrlAsync).RequirePermission(Permission.ManageCaConnectors, AuditActions.CaCrlPublish).WithSummary("Publish a new CRL now.");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListCaConnectorsQuery list) =>
        ApiResults.From(await list.ExecuteAsync(http.Actor(), http.RequestAborted), all => all.Select(Json).ToList());

    private static async Task<IResult> GetAsync(HttpContext http, GetCaConnectorQuery get, string name)
    {
        var result = await get.ExecuteAsync(http.Actor(), name, http.RequestAborted);
        if (!result.TryGetValue(out var connector, out var error))
        {
            return error.Kind == ErrorKind.NotFound ? ApiResults.Ok(Array.Empty<object>()) : ApiResults.Fail(error);
        }
        return ApiResults.Ok(new[] { PrivacyIdeaJson(connector) });
    }

    /// <summary>privacyIDEA's connector shape: its settings under <c>data</c>, the templates by name.</summary>
    private static Dictionary<string, object?> PrivacyIdeaJson(CaConnectorInfo c) => new()
    {
        ["connectorname"] = c.Name,
        ["type"] = c.Type,
        ["data"] = new Dictionary<string, object?>
        {
            ["subject"] = c.Subject,
            ["default_template"] = c.DefaultTemplate,
            ["not_after"] = TokenJson.Iso(c.NotAfter),
        }.Concat(c.Settings.Select(s => new KeyValuePair<string, object?>(s.Key, s.Value))).ToDictionary(),
        ["templates"] = c.Templates.ToDictionary(t => t.Name, t => (object?)TemplateJson(t)),
    };

    /// <summary>What an update of an existing connector takes; everything else a create takes makes a new CA.</summary>
    private static readonly string[] UpdateParameters = ["type", "crl_validity_days", "crl_overlap_days", "default_template", "signer"];

    private static readonly string[] CreateOnlyParameters =
        ["subject", "keytype", "keysize", "curve", "validity_days", "cacert", "cakey", "cakey_password", "pkcs12", "pkcs12_password", "parent"];

    private static async Task<IResult> SaveAsync(HttpContext http, string name, GetCaConnectorQuery get, UpdateCaConnectorCommand update,
        CreateLocalRootCaCommand create, CreateLocalSubordinateCaCommand createSubordinate, ImportLocalCaCommand import, CreateApprovalCaCommand createApproval)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        // privacyIDEA's save_caconnector: the name decides between creating and updating.
        return (await get.ExecuteAsync(http.Actor(), name, http.RequestAborted)).IsSuccess
            ? await UpdateAsync(http, name, update, p)
            : await CreateAsync(http, name, create, createSubordinate, import, createApproval, p);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string name, UpdateCaConnectorCommand update, ApiParameters p)
    {
        foreach (var parameter in p.Names)
        {
            if (CreateOnlyParameters.Contains(parameter))
            {
                return ApiResults.Fail(PortalError.Validation(
                    $"{parameter} cannot be changed on the existing CA '{name}': the certificates it issued and its CRL depend on its key and certificate. Create a new CA instead."));
            }
            if (!UpdateParameters.Contains(parameter))
            {
                return ApiResults.Fail(PortalError.Validation(
                    $"Unknown parameter '{parameter}' for updating CA '{name}'; it takes {string.Join(", ", UpdateParameters)}."));
            }
            if (string.IsNullOrWhiteSpace(p[parameter]))
            {
                return ApiResults.Fail(PortalError.Validation($"{parameter} is empty; give a value, or leave it out to keep the current one."));
            }
        }
        if (!TryOptionalDays(p, "crl_validity_days", out var validity, out var daysError) || !TryOptionalDays(p, "crl_overlap_days", out var overlap, out daysError))
        {
            return ApiResults.Fail(daysError!);
        }
        var result = await update.ExecuteAsync(http.Actor(), new CaConnectorUpdate(name)
        {
            Type = p["type"],
            CrlValidityDays = validity,
            CrlOverlapDays = overlap,
            DefaultTemplate = p["default_template"],
            Signer = p["signer"],
        }, http.RequestAborted);
        return ApiResults.From(result, Json);
    }

    private static bool TryOptionalDays(ApiParameters p, string name, out int? days, out PortalError? error)
    {
        days = null;
        error = null;
        if (!p.Has(name))
        {
            return true;
        }
        if (!p.TryInt(name, 0, out var value))
        {
            error = PortalError.Validation($"{name} '{p[name]}' is not a whole number of days.");
            return false;
        }
        days = value;
        return true;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, string name, CreateLocalRootCaCommand create,
        CreateLocalSubordinateCaCommand createSubordinate, ImportLocalCaCommand import, CreateApprovalCaCommand createApproval, ApiParameters p)
    {
        var type = p["type"]?.Trim().ToLowerInvariant();
        if (type == ApprovalCaConnector.TypeName)
        {
            return ApiResults.From(await createApproval.ExecuteAsync(http.Actor(), name, p["signer"], http.RequestAborted), Json);
        }
        if (type is not (null or "" or LocalCaConnector.TypeName))
        {
            return ApiResults.Fail(PortalError.Validation($"type '{p["type"]}' is not a CA connector kind this portal offers; use local or approval."));
        }
        if (!TryDays(p, "crl_validity_days", 7, out var crlDays, out var crlError) ||
            !TryDays(p, "crl_overlap_days", 2, out var overlapDays, out crlError) ||
            !TryDays(p, "validity_days", 3650, out var validityDays, out crlError))
        {
            return ApiResults.Fail(crlError!);
        }

        Result<CaConnectorInfo> result;
        if (!string.IsNullOrWhiteSpace(p["cacert"]) || !string.IsNullOrWhiteSpace(p["pkcs12"]))
        {
            result = await import.ExecuteAsync(http.Actor(), new ImportCaRequest(name)
            {
                CertificatePem = p["cacert"],
                KeyPem = p["cakey"],
                KeyPassword = p["cakey_password"],
                Pkcs12Base64 = p["pkcs12"],
                Pkcs12Password = p["pkcs12_password"],
                CrlValidityDays = crlDays,
                CrlOverlapDays = overlapDays,
            }, http.RequestAborted);
        }
        else if (!string.IsNullOrWhiteSpace(p["subject"]) && !string.IsNullOrWhiteSpace(p["parent"]))
        {
            result = await createSubordinate.ExecuteAsync(http.Actor(), new NewSubordinateCaRequest(name, p["subject"]!, p["parent"]!)
            {
                KeyType = p["keytype"],
                KeySize = p["keysize"],
                Curve = p["curve"],
                ValidityDays = string.IsNullOrWhiteSpace(p["validity_days"]) ? 1825 : validityDays,
                CrlValidityDays = crlDays,
                CrlOverlapDays = overlapDays,
            }, http.RequestAborted);
        }
        else if (!string.IsNullOrWhiteSpace(p["subject"]))
        {
            result = await create.ExecuteAsync(http.Actor(), new NewRootCaRequest(name, p["subject"]!)
            {
                KeyType = p["keytype"],
                KeySize = p["keysize"],
                Curve = p["curve"],
                ValidityDays = validityDays,
                CrlValidityDays = crlDays,
                CrlOverlapDays = overlapDays,
            }, http.RequestAborted);
        }
        else
        {
            return ApiResults.Fail(PortalError.Validation(
                "Say what to do: 'subject' (and keytype, keysize or curve) creates a new root CA; 'cacert' with 'cakey', or 'pkcs12', imports one."));
        }
        return ApiResults.From(result, Json);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, DeleteCaCommand delete, string name)
    {
        var result = await delete.ExecuteAsync(http.Actor(), name, http.RequestAborted);
        return ApiResults.From(result, true);
    }

    private static async Task<IResult> SetTemplateAsync(HttpContext http, SetTemplateCommand templates, string name, string template)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (!TryDays(p, "days", 365, out var days, out var daysError))
        {
            return ApiResults.Fail(daysError!);
        }
        if (!p.TryInt("max_sans", Core.Tokens.Enrolment.TemplateNameRules.DefaultMaxSans, out var maxSans))
        {
            return ApiResults.Fail(PortalError.Validation($"max_sans '{p["max_sans"]}' is not a whole number."));
        }
        if (!ReadRenewalSettings(p).TryGetValue(out var renewal, out var renewalError))
        {
            return ApiResults.Fail(renewalError);
        }
        var result = await templates.ExecuteAsync(http.Actor(), name, new TemplateRequest(template, days)
        {
            KeyUsage = p["key_usage"],
            ExtendedKeyUsage = p["extended_key_usage"],
            CopySans = p.Bool("copy_san") == true,
            SubjectComponents = p["subject_components"],
            MakeDefault = p.Bool("default") == true,
            SubjectSource = p["subject_source"],
            AllowedRdns = p["allowed_rdns"],
            SanTypes = p["san_types"],
            DnsPatterns = p["dns_patterns"],
            EmailPatterns = p["email_patterns"],
            MaxSans = maxSans,
            StaffOnly = p.Bool("staff_only") == true,
            RenewalWindowDays = renewal.RenewalWindowDays,
            SupersededGraceDays = renewal.SupersededGraceDays,
            LeaveSupersededToExpire = renewal.LeaveSupersededToExpire,
            AllowSameKeyRenewal = renewal.AllowSameKeyRenewal,
            SubjectCommonName = p["subject_cn"],
            OwnerEmailSan = p.Bool("email_san") == true,
        }, http.RequestAborted);
        return ApiResults.From(result, TemplateJson);
    }

    /// <summary>The renewal parameters of a template; absent ones stay null so that the template keeps its values.</summary>
    private static Result<TemplateRequest> ReadRenewalSettings(ApiParameters p)
    {
        int? window = null;
        if (p.Has("renewal_window_days"))
        {
            if (!p.TryInt("renewal_window_days", 0, out var w))
            {
                return PortalError.Validation($"renewal_window_days '{p["renewal_window_days"]}' is not a whole number of days.");
            }
            window = w;
        }
        int? grace = null;
        var never = string.Equals(p["superseded_grace_days"]?.Trim(), "never", StringComparison.OrdinalIgnoreCase);
        if (p.Has("superseded_grace_days") && !never)
        {
            if (!p.TryInt("superseded_grace_days", 0, out var g))
            {
                return PortalError.Validation($"superseded_grace_days '{p["superseded_grace_days"]}' is not a whole number of days or 'never'.");
            }
            grace = g;
        }
        if (p.Has("renew_same_key") && p.Bool("renew_same_key") is null)
        {
            return PortalError.Validation($"renew_same_key '{p["renew_same_key"]}' is not true or false.");
        }
        return new TemplateRequest("", 0)
        {
            RenewalWindowDays = window,
            SupersededGraceDays = grace,
            LeaveSupersededToExpire = never ? true : null,
            AllowSameKeyRenewal = p.Bool("renew_same_key"),
        };
    }

    private static async Task<IResult> DeleteTemplateAsync(HttpContext http, DeleteTemplateCommand templates, string name, string template)
    {
        var result = await templates.ExecuteAsync(http.Actor(), name, template, http.RequestAborted);
        return ApiResults.From(result, true);
    }

    private static async Task<IResult> CrlStatusAsync(HttpContext http, GetCrlStatusQuery crls, string name) =>
        ApiResults.From(await crls.ExecuteAsync(http.Actor(), name, http.RequestAborted), CrlJson);

    private static async Task<IResult> PublishCrlAsync(HttpContext http, PublishCrlCommand crls, string name) =>
        ApiResults.From(await crls.ExecuteAsync(http.Actor(), name, http.RequestAborted), CrlJson);

    private static bool TryDays(ApiParameters p, string name, int fallback, out int days, out PortalError? error)
    {
        error = p.TryInt(name, fallback, out days) ? null : PortalError.Validation($"{name} '{p[name]}' is not a whole number of days.");
        return error is null;
    }

    private static Dictionary<string, object?> Json(CaConnectorInfo c) => new()
    {
        ["name"] = c.Name,
        ["connectorname"] = c.Name,
        ["type"] = c.Type,
        ["subject"] = c.Subject,
        ["default_template"] = c.DefaultTemplate,
        ["not_after"] = TokenJson.Iso(c.NotAfter),
        ["settings"] = c.Settings,
        ["templates"] = c.Templates.Select(TemplateJson).ToList(),
    };

    private static Dictionary<string, object?> TemplateJson(TemplateInfo t) => new()
    {
        ["name"] = t.Name,
        ["days"] = t.ValidityDays,
        ["key_usage"] = t.KeyUsage,
        ["extended_key_usage"] = t.ExtendedKeyUsage,
        ["copy_san"] = t.CopySans,
        ["subject_components"] = t.SubjectComponents,
        ["subject_source"] = t.SubjectSource,
        ["allowed_rdns"] = t.AllowedRdns,
        ["san_types"] = t.SanTypes,
        ["dns_patterns"] = t.DnsPatterns,
        ["email_patterns"] = t.EmailPatterns,
        ["max_sans"] = t.MaxSans,
        ["staff_only"] = t.StaffOnly,
        ["renewal_window_days"] = t.RenewalWindowDays,
        ["superseded_grace_days"] = t.SupersededGraceDays is { } grace ? grace : "never",
        ["renew_same_key"] = t.AllowSameKeyRenewal,
        ["renewal_rules"] = t.RenewalRules,
        ["subject_cn"] = t.SubjectCommonName,
        ["email_san"] = t.OwnerEmailSan,
    };

    private static Dictionary<string, object?> CrlJson(CrlStatus s) => new()
    {
        ["ca"] = s.CaName,
        ["crl_number"] = s.Number,
        ["this_update"] = TokenJson.Iso(s.ThisUpdate),
        ["next_update"] = TokenJson.Iso(s.NextUpdate),
        ["revoked"] = s.RevokedCount,
    };
}
