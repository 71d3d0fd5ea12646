using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// Bad input through the API: each case answers the right 4xx with a message in the envelope, writes no row (refusals
/// only add audit entries) and logs no error. A named corpus checks exact statuses and messages; a sweep puts every
/// kind of malformed text into every parameter of every writing endpoint, as form, JSON and multipart.
/// </summary>
[Trait("Category", "Api")]
public sealed class BadInputCorpusTests(BadInputCorpusTests.CapturingPortal portal, ITestOutputHelper output) : IClassFixture<BadInputCorpusTests.CapturingPortal>
{
    public sealed class CapturingPortal : PortalFactory
    {
        public ErrorLogCapture Errors { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        }
    }

    private sealed record Case(string Name, HttpMethod Method, string Path, Func<HttpContent?> Body, HttpStatusCode Expected, string Message, string As = "admin");

    private const string Pin = "Corpus-PIN-123!";

    [Fact]
    public async Task NamedCorpus_EachCase_RightStatusAndMessageNoRowsNoErrorLog()
    {
        var (admin, helpdesk, user, otherSerial) = await ArrangeAsync();
        var cases = new List<Case>
        {
            new("auth invalid UTF-8 JSON", HttpMethod.Post, "/auth", () => Raw([.. "{\"username\":\"admin\",\"password\":\""u8, 0xFF, 0xFE, .. "\"}"u8], "application/json"), HttpStatusCode.BadRequest, "JSON"),
            new("auth lone surrogate JSON", HttpMethod.Post, "/auth", () => Raw(Encoding.ASCII.GetBytes("{\"username\":\"admin\",\"password\":\"\\ud800\"}"), "application/json"), HttpStatusCode.BadRequest, "surrogate"),
            new("auth invalid UTF-8 form", HttpMethod.Post, "/auth", () => Raw(Encoding.ASCII.GetBytes("username=admin&password=%FF%FE"), "application/x-www-form-urlencoded"), HttpStatusCode.BadRequest, "UTF-8"),
            new("auth invalid UTF-8 query", HttpMethod.Post, "/auth?username=%C3%28", () => null, HttpStatusCode.BadRequest, "UTF-8"),
            new("auth JSON array", HttpMethod.Post, "/auth", () => Raw("[1,2]"u8.ToArray(), "application/json"), HttpStatusCode.BadRequest, "object"),
            new("auth NUL in name", HttpMethod.Post, "/auth", () => Form(("username", "adm\0in"), ("password", "x")), HttpStatusCode.BadRequest, "control character"),
            new("auth no password", HttpMethod.Post, "/auth", () => Form(("username", "admin")), HttpStatusCode.Unauthorized, "password"),  // privacyIDEA answers a missing password like a wrong one
            new("init description too long", HttpMethod.Post, "/token/init", () => Enrol(("description", new string('d', 2000))), HttpStatusCode.BadRequest, "at most 1024", "user"),
            new("init description NUL", HttpMethod.Post, "/token/init", () => Enrol(("description", "a\0b")), HttpStatusCode.BadRequest, "control character", "user"),
            new("init description line break", HttpMethod.Post, "/token/init", () => Enrol(("description", "a\nb")), HttpStatusCode.BadRequest, "line break", "user"),
            new("init PIN too long", HttpMethod.Post, "/token/init", () => Enrol(("pin", new string('p', 200) + "A1!")), HttpStatusCode.BadRequest, "PIN may have at most", "user"),
            new("init PIN with tab", HttpMethod.Post, "/token/init", () => Enrol(("pin", "Tab\tPIN-123!")), HttpStatusCode.BadRequest, "PIN holds a control character", "user"),
            new("init PIN 100,000 characters", HttpMethod.Post, "/token/init", () => Enrol(("pin", new string('p', 100_000))), HttpStatusCode.BadRequest, "at most 4096", "user"),
            new("init CSR with 150 SANs", HttpMethod.Post, "/token/init", () => Form(("type", "certificate"), ("ca", "localCA"), ("request", CsrWithSans(150))), HttpStatusCode.BadRequest, "150 subject alternative names", "helpdesk"),
            new("init CSR garbage", HttpMethod.Post, "/token/init", () => Form(("type", "certificate"), ("ca", "localCA"), ("request", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")), HttpStatusCode.BadRequest, "request", "user"),
            new("init lone surrogate description", HttpMethod.Post, "/token/init", () => Raw(Encoding.ASCII.GetBytes("{\"type\":\"certificate\",\"ca\":\"localCA\",\"genkey\":\"1\",\"description\":\"x\\udc00\"}"), "application/json"), HttpStatusCode.BadRequest, "surrogate", "user"),
            new("init invalid UTF-8 multipart", HttpMethod.Post, "/token/init", () => Multipart(("type", "certificate"u8.ToArray()), ("description", [0xC0, 0xAF])), HttpStatusCode.BadRequest, "UTF-8", "user"),
            new("init body over 1 MiB", HttpMethod.Post, "/token/init", () => Form(("type", "certificate"), ("request", new string('A', 1_100_000))), HttpStatusCode.RequestEntityTooLarge, "larger than", "user"),
            new("init 200 parameters", HttpMethod.Post, "/token/init", () => Form(Enumerable.Range(0, 200).Select(i => ($"p{i}", "v")).ToArray()), HttpStatusCode.BadRequest, "at most 100", "user"),
            new("list pagesize text", HttpMethod.Get, "/token/?pagesize=many", () => null, HttpStatusCode.BadRequest, "pagesize", "user"),
            new("list NUL in filter", HttpMethod.Get, "/token/?user=a%00b", () => null, HttpStatusCode.BadRequest, "control character", "user"),
            new("view serial with control character", HttpMethod.Get, "/token/CRT%07", () => null, HttpStatusCode.BadRequest, "control character", "user"),
            new("view another user's serial", HttpMethod.Get, $"/token/{otherSerial}", () => null, HttpStatusCode.NotFound, "no token", "user"),
            new("revoke another user's serial", HttpMethod.Post, "/token/revoke", () => Form(("serial", otherSerial)), HttpStatusCode.NotFound, "no token", "user"),
            new("revoke unknown serial", HttpMethod.Post, "/token/revoke", () => Form(("serial", "CRT00000000")), HttpStatusCode.NotFound, "no token", "user"),
            new("pkcs12 of another user's serial", HttpMethod.Get, $"/token/{otherSerial}/pkcs12", () => null, HttpStatusCode.NotFound, "no token", "user"),
            new("helpdesk creates CA with incomplete parameters", HttpMethod.Post, "/caconnector/halfCA", () => Form(("type", "local"), ("crl_validity_days", "x")), HttpStatusCode.Forbidden, "may not", "helpdesk"),
            new("helpdesk sets a template with bad days", HttpMethod.Post, "/caconnector/localCA/template/t1", () => Form(("days", "x")), HttpStatusCode.Forbidden, "may not", "helpdesk"),
            new("helpdesk sets a policy with bad action", HttpMethod.Post, "/policy/p1", () => Form(("action", "nonsense=="), ("priority", "x")), HttpStatusCode.Forbidden, "may not", "helpdesk"),
            new("user deletes a user", HttpMethod.Delete, "/user/admin", () => null, HttpStatusCode.Forbidden, "may not", "user"),
            new("CA days not a number", HttpMethod.Post, "/caconnector/badCA", () => Form(("type", "local"), ("subject", "CN=x"), ("crl_validity_days", "x")), HttpStatusCode.BadRequest, "whole number"),
            new("CA without subject or import", HttpMethod.Post, "/caconnector/badCA", () => Form(("type", "local")), HttpStatusCode.BadRequest, "subject"),
            new("CA name with a control character", HttpMethod.Post, "/caconnector/bad%07CA", () => Form(("type", "local"), ("subject", "CN=x")), HttpStatusCode.BadRequest, "control character"),
            new("user name with NUL", HttpMethod.Post, "/user/", () => Form(("username", "a\0b"), ("password", PortalUsers.Password)), HttpStatusCode.BadRequest, "control character"),
            new("user name 500 characters", HttpMethod.Post, "/user/", () => Form(("username", new string('u', 500)), ("password", PortalUsers.Password)), HttpStatusCode.BadRequest, "user name"),
            new("user weak password", HttpMethod.Post, "/user/", () => Form(("username", "weakpw"), ("password", "short")), HttpStatusCode.BadRequest, "Password"),
            new("user unknown role", HttpMethod.Post, "/user/", () => Form(("username", "rolex"), ("password", PortalUsers.Password), ("role", "superuser")), HttpStatusCode.BadRequest, "not a role"),
            new("delete unknown user", HttpMethod.Delete, "/user/nobody-here", () => null, HttpStatusCode.NotFound, "no user"),
            new("attestation root garbage", HttpMethod.Post, "/attestation/root/r1", () => Form(("certificate", "garbage")), HttpStatusCode.BadRequest, "certificate"),
            new("token info as a user", HttpMethod.Post, $"/token/info/{otherSerial}/asset", () => Form(("value", "x")), HttpStatusCode.Forbidden, "Only admins", "user"),
            new("token info as helpdesk", HttpMethod.Delete, $"/token/info/{otherSerial}/asset", () => null, HttpStatusCode.Forbidden, "Only admins", "helpdesk"),
            new("token info of the portal's own key", HttpMethod.Post, $"/token/info/{otherSerial}/certificate", () => Form(("value", "forged")), HttpStatusCode.BadRequest, "belongs to the portal"),
            new("token info empty value", HttpMethod.Post, $"/token/info/{otherSerial}/asset", () => Form(("value", "")), HttpStatusCode.BadRequest, "value"),
            new("token info value too long", HttpMethod.Post, $"/token/info/{otherSerial}/asset", () => Form(("value", new string('v', 3000))), HttpStatusCode.BadRequest, "at most 2048"),
            new("token info key too long", HttpMethod.Post, $"/token/info/{otherSerial}/{new string('k', 65)}", () => Form(("value", "x")), HttpStatusCode.BadRequest, "token-info key"),
            new("token info unknown serial", HttpMethod.Post, "/token/info/CRT00000000/asset", () => Form(("value", "x")), HttpStatusCode.NotFound, "no token"),
            new("setpin without current PIN", HttpMethod.Post, "/token/setpin", () => Form(("serial", otherSerial), ("otppin", "New-PIN-456!")), HttpStatusCode.BadRequest, "current_pin"),
            new("setpin wrong current PIN", HttpMethod.Post, "/token/setpin", () => Form(("serial", otherSerial), ("otppin", "New-PIN-456!"), ("current_pin", "Wrong-PIN-1")), HttpStatusCode.BadRequest, "current_pin"),
            new("setpin current PIN too long", HttpMethod.Post, "/token/setpin", () => Form(("serial", otherSerial), ("otppin", "New-PIN-456!"), ("current_pin", new string('p', 200))), HttpStatusCode.BadRequest, "current_pin"),
            new("setpin another user's serial", HttpMethod.Post, "/token/setpin", () => Form(("serial", otherSerial), ("otppin", "New-PIN-456!"), ("current_pin", Pin)), HttpStatusCode.NotFound, "no token", "user"),
            new("CA update changes the type", HttpMethod.Post, "/caconnector/localCA", () => Form(("type", "approval"), ("signer", "localCA")), HttpStatusCode.BadRequest, "cannot be changed"),
            new("CA update replaces the subject", HttpMethod.Post, "/caconnector/localCA", () => Form(("subject", "CN=Other")), HttpStatusCode.BadRequest, "cannot be changed"),
            new("CA update empty days", HttpMethod.Post, "/caconnector/localCA", () => Form(("crl_validity_days", "")), HttpStatusCode.BadRequest, "empty"),
            new("CA update overlap beyond validity", HttpMethod.Post, "/caconnector/localCA", () => Form(("crl_overlap_days", "400")), HttpStatusCode.BadRequest, "crl_overlap_days"),
            new("CA update as helpdesk", HttpMethod.Post, "/caconnector/localCA", () => Form(("crl_validity_days", "9")), HttpStatusCode.Forbidden, "may not", "helpdesk"),
            new("own password with NUL", HttpMethod.Post, "/auth/password", () => Form(("password", PortalFactory.AdminPassword), ("new_password", "New\0Passw0rd!")), HttpStatusCode.BadRequest, "control character"),
        };

        var before = await FingerprintAsync();
        var errorsBefore = portal.Errors.Lines.Count;
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var api = c.As switch { "user" => user, "helpdesk" => helpdesk, _ => admin };
            var answer = await api.SendAsync(new HttpRequestMessage(c.Method, c.Path) { Content = c.Body() });
            if (answer.Status != c.Expected || !IsEnvelopeFailure(answer, c.Message))
            {
                failures.Add($"{c.Name}: expected {(int)c.Expected} '{c.Message}', got {(int)answer.Status} {Truncate(answer.Body)}");
            }
        }

        output.WriteLine($"named bad inputs tried: {cases.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(before, await FingerprintAsync());
        Assert.Equal(errorsBefore, portal.Errors.Lines.Count);
    }

    [Fact]
    public async Task Sweep_EveryMalformedTextInEveryParameter_Answers4xxNoRowsNoErrorLog()
    {
        var (admin, _, _, ownSerial) = await ArrangeAsync();
        // Each endpoint with parameters that together would be accepted; one at a time is replaced by a malformed text.
        var endpoints = new (HttpMethod Method, string Path, (string Name, string Value)[] Valid)[]
        {
            (HttpMethod.Post, "/auth", [("username", "admin"), ("password", PortalFactory.AdminPassword)]),
            (HttpMethod.Post, "/token/init", [("type", "certificate"), ("user", "corpususer"), ("ca", "localCA"), ("template", "user"), ("genkey", "1"), ("keytype", "ec"), ("curve", "P-256"), ("pin", Pin), ("description", "ok")]),
            (HttpMethod.Post, "/token/revoke", [("serial", ownSerial), ("reason", "superseded")]),
            (HttpMethod.Post, "/token/setpin", [("serial", ownSerial), ("otppin", "Other-PIN-456!"), ("current_pin", Pin)]),
            (HttpMethod.Post, $"/token/info/{ownSerial}/asset", [("value", "A-1")]),
            (HttpMethod.Post, "/caconnector/localCA", [("type", "local"), ("crl_validity_days", "8"), ("default_template", "user")]),
            (HttpMethod.Post, "/token/set", [("serial", ownSerial), ("description", "changed")]),
            (HttpMethod.Post, "/token/disable", [("serial", ownSerial)]),
            (HttpMethod.Post, "/caconnector/sweepCA", [("type", "local"), ("subject", "CN=Sweep CA"), ("keytype", "ec"), ("curve", "P-256"), ("validity_days", "30")]),
            (HttpMethod.Post, "/caconnector/localCA/template/sweep", [("days", "30"), ("key_usage", "digitalSignature"), ("extended_key_usage", "clientAuth")]),
            (HttpMethod.Post, "/policy/sweep", [("scope", "enrollment"), ("action", "max_token_user=5"), ("realm", "sweep"), ("role", "user"), ("priority", "5")]),
            (HttpMethod.Post, "/user/", [("username", "sweepuser"), ("password", PortalUsers.Password), ("email", "sweep@example.test"), ("role", "user")]),
            (HttpMethod.Post, "/auth/password", [("password", PortalFactory.AdminPassword), ("new_password", "Sweep-New-Passw0rd!")]),
        };
        var malformed = new (string Name, string? Text, byte[]? Bytes)[]
        {
            ("NUL", "a\0b", null),
            ("bell", "a\u0007b", null),
            ("escape", "\u001b[31m", null),
            ("100,000 characters", new string('A', 100_000), null),
            ("invalid UTF-8", null, [0x61, 0xFF, 0xFE, 0x62]),
            ("overlong UTF-8", null, [0xC0, 0xAF]),
            ("encoded surrogate", null, [0xED, 0xA0, 0x80]),
            ("lone surrogate", "x\ud800", null),
        };

        var before = await FingerprintAsync();
        var errorsBefore = portal.Errors.Lines.Count;
        var tried = 0;
        var serverErrors = 0;
        var failures = new List<string>();
        foreach (var (method, path, valid) in endpoints)
        {
            foreach (var (parameter, _) in valid)
            {
                foreach (var bad in malformed)
                {
                    foreach (var encoding in new[] { "form", "json", "multipart" })
                    {
                        var body = Encode(encoding, valid.Select(v => v.Name == parameter ? (v.Name, bad.Text, bad.Bytes) : (v.Name, v.Value, null)).ToList());
                        var answer = await admin.SendAsync(new HttpRequestMessage(method, path) { Content = body });
                        tried++;
                        serverErrors += (int)answer.Status >= 500 ? 1 : 0;
                        if ((int)answer.Status is < 400 or >= 500 || !IsEnvelopeFailure(answer, ""))
                        {
                            failures.Add($"{path} {parameter}={bad.Name} as {encoding}: {(int)answer.Status} {Truncate(answer.Body)}");
                        }
                    }
                }
            }
        }
        foreach (var bad in malformed.Where(m => m.Text is null || m.Text.Length < 10_000))
        {
            foreach (var query in new[] { "/token/?user=", "/token/?serial=", "/audit/?action=", "/user/?username=", "/policy/?realm=" })
            {
                var value = string.Concat((bad.Bytes ?? Wtf8(bad.Text!)).Select(b => $"%{b:X2}"));
                var answer = await admin.GetAsync(query + value);
                tried++;
                serverErrors += (int)answer.Status >= 500 ? 1 : 0;
                if (answer.Status != HttpStatusCode.BadRequest)
                {
                    failures.Add($"GET {query}{bad.Name}: {(int)answer.Status} {Truncate(answer.Body)}");
                }
            }
        }

        output.WriteLine($"sweep bad inputs tried: {tried}, 5xx answers: {serverErrors}, error log lines: {portal.Errors.Lines.Count - errorsBefore}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {tried}:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(40))}");
        Assert.Equal(before, await FingerprintAsync());
        Assert.Equal(errorsBefore, portal.Errors.Lines.Count);
    }

    private async Task<(ApiClient Admin, ApiClient Helpdesk, ApiClient User, string Serial)> ArrangeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await portal.CreateUserAsync("corpususer", PortalRoles.User).ContinueWith(_ => { });
        await portal.CreateUserAsync("desk" + suffix, PortalRoles.Helpdesk);
        await portal.CreateUserAsync("user" + suffix, PortalRoles.User);
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        var enrolled = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "corpususer"), ("ca", "localCA"), ("genkey", "1"), ("keytype", "ec"), ("curve", "P-256"), ("pin", Pin));
        Assert.Equal(HttpStatusCode.OK, enrolled.Status);
        return (admin, await ApiClient.LoginAsync(portal, "desk" + suffix, PortalUsers.Password),
            await ApiClient.LoginAsync(portal, "user" + suffix, PortalUsers.Password), enrolled.Detail.GetProperty("serial").GetString()!);
    }

    /// <summary>Every row the portal keeps except the audit log (refusals are audited, by design), as one comparable text.</summary>
    private async Task<string> FingerprintAsync()
    {
        await using var db = portal.NewDb();
        var parts = new List<object>
        {
            await db.Tokens.AsNoTracking().OrderBy(t => t.Serial).Select(t => new { t.Serial, t.Description, t.PinHash, t.Active, t.Revoked, t.Locked, t.RolloutState, t.UpdatedAt }).ToListAsync(),
            await db.Users.AsNoTracking().OrderBy(u => u.UserName).Select(u => new { u.UserName, u.Email, u.PasswordHash, u.SecurityStamp, u.LockoutEnd, u.Realm }).ToListAsync(),
            await db.UserRoles.AsNoTracking().CountAsync(),
            await db.CaConnectors.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Name, c.Type, c.DefaultTemplate, c.SettingsJson, c.UpdatedAt }).ToListAsync(),
            await db.LocalCas.AsNoTracking().OrderBy(l => l.CaConnectorId).Select(l => new { l.CaConnectorId, l.CrlValidityDays, l.CrlOverlapDays, l.CertificatePem }).ToListAsync(),
            await db.TokenInfo.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.TokenId, e.Key, e.Value }).ToListAsync(),
            await db.Tokens.AsNoTracking().OrderBy(t => t.Serial).Select(t => t.EncryptedPkcs12).ToListAsync(),
            await db.CertificateTemplates.AsNoTracking().CountAsync(),
            await db.IssuedCertificates.AsNoTracking().CountAsync(),
            await db.Policies.AsNoTracking().CountAsync(),
            await db.AttestationRoots.AsNoTracking().CountAsync(),
            await db.PendingCertificateRequests.AsNoTracking().CountAsync(),
        };
        return JsonSerializer.Serialize(parts);
    }

    private static bool IsEnvelopeFailure(ApiAnswer answer, string message)
    {
        try
        {
            return !answer.Ok && answer.ErrorMessage.Length > 0 && answer.ErrorMessage.Contains(message, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static HttpContent Encode(string encoding, List<(string Name, string? Text, byte[]? Bytes)> fields)
    {
        byte[] Bytes((string Name, string? Text, byte[]? Bytes) f) => f.Bytes ?? Wtf8(f.Text!);
        switch (encoding)
        {
            case "form":
                var form = string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Name) + "=" +
                    string.Concat(Bytes(f).Select(b => $"%{b:X2}"))));
                return Raw(Encoding.ASCII.GetBytes(form), "application/x-www-form-urlencoded");
            case "json":
                using (var buffer = new MemoryStream())
                {
                    buffer.WriteByte((byte)'{');
                    for (var i = 0; i < fields.Count; i++)
                    {
                        var (name, text, bytes) = fields[i];
                        buffer.Write(Encoding.UTF8.GetBytes((i > 0 ? "," : "") + JsonSerializer.Serialize(name) + ":\""));
                        // Written by hand: a serializer would repair a lone surrogate or refuse invalid bytes.
                        buffer.Write(bytes ?? Encoding.UTF8.GetBytes(JsonEscape(text!)));
                        buffer.WriteByte((byte)'"');
                    }
                    buffer.WriteByte((byte)'}');
                    return Raw(buffer.ToArray(), "application/json");
                }
            default:
                return Multipart(fields.Select(f => (f.Name, Bytes(f))).ToArray());
        }
    }

    /// <summary>UTF-8, except that a lone surrogate goes as its (invalid) three-byte encoding instead of being replaced with U+FFFD.</summary>
    private static byte[] Wtf8(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c) && !(i + 1 < text.Length && char.IsSurrogatePair(c, text[i + 1])))
            {
                bytes.AddRange([(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
            }
            else
            {
                var length = char.IsSurrogatePair(text, i) ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, length)));
                i += length - 1;
            }
        }
        return bytes.ToArray();
    }

    private static string JsonEscape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c < 0x20 || char.IsSurrogate(c) || c is '"' or '\\' ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return builder.ToString();
    }

    private static ByteArrayContent Raw(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    }

    private static HttpContent Form(params (string Name, string Value)[] fields) =>
        new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static HttpContent Enrol(params (string Name, string Value)[] overrides)
    {
        var fields = new Dictionary<string, string> { ["type"] = "certificate", ["ca"] = "localCA", ["genkey"] = "1", ["keytype"] = "ec", ["curve"] = "P-256", ["pin"] = Pin };
        foreach (var (name, value) in overrides)
        {
            fields[name] = value;
        }
        return new FormUrlEncodedContent(fields);
    }

    private static HttpContent Multipart(params (string Name, byte[] Value)[] fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new ByteArrayContent(value), name);
        }
        return content;
    }

    private static string CsrWithSans(int count)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=many-sans", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        for (var i = 0; i < count; i++)
        {
            sans.AddDnsName($"host{i}.example.test");
        }
        request.CertificateExtensions.Add(sans.Build());
        return request.CreateSigningRequestPem();
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
