using System.Net;
using System.Text.Json;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// The portal driven as a privacyIDEA client drives privacyIDEA: form bodies, the JWT in PI-Authorization,
/// user@realm, a chosen serial, filters, description, set, assign/unassign, revoke and delete; every field the client
/// reads is checked.
/// </summary>
[Trait("Category", "Api")]
public sealed class PrivacyIdeaClientScenarioTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public PrivacyIdeaClientScenarioTests(PortalFactory portal) => _portal = portal;

    /// <summary>A privacyIDEA client: form-encoded bodies, PI-Authorization only.</summary>
    private sealed class PiClient(HttpClient http, string token)
    {
        public Task<ApiAnswer> Get(string path) => Send(HttpMethod.Get, path, null);
        public Task<ApiAnswer> Delete(string path) => Send(HttpMethod.Delete, path, null);
        public Task<ApiAnswer> Post(string path, params (string, string)[] form) => Send(HttpMethod.Post, path, form);

        private async Task<ApiAnswer> Send(HttpMethod method, string path, (string Name, string Value)[]? form)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.TryAddWithoutValidation("PI-Authorization", token);
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
            }
            var response = await http.SendAsync(request);
            return new ApiAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        }
    }

    private async Task<PiClient> LoginAsync(string user, string password)
    {
        var http = _portal.CreateNonRedirectingClient();
        var auth = await http.PostAsync("/auth", new FormUrlEncodedContent([new("username", user), new("password", password)]));
        var answer = new ApiAnswer(auth.StatusCode, await auth.Content.ReadAsStringAsync(), auth);
        Assert.True(answer.Ok, answer.ToString());
        Assert.Equal("ACCEPT", answer.Result.GetProperty("authentication").GetString());
        return new PiClient(http, answer.Value.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task Scenario_PrivacyIdeaAdminScript_WorksEndToEnd()
    {
        var realm = $"pi{Guid.NewGuid():N}"[..10];
        await _portal.CreateUserAsync("carol", PortalRoles.User, realm);
        await _portal.CreateUserAsync("dave", PortalRoles.User, realm);
        var admin = await LoginAsync("admin", PortalFactory.AdminPassword);
        var serial = $"PICRT{Guid.NewGuid():N}"[..16].ToUpperInvariant();

        // Enrol for carol@realm with a chosen serial.
        var init = await admin.Post("/token/init", ("type", "certificate"), ("user", $"carol@{realm}"), ("serial", serial),
            ("request", TestCsrs.Rsa("carol")), ("ca", "localCA"), ("description", "first"));
        Assert.True(init.Ok, init.ToString());
        Assert.True(init.Value.GetBoolean());
        Assert.Equal(serial, init.Detail.GetProperty("serial").GetString());
        Assert.Equal("enrolled", init.Detail.GetProperty("rollout_state").GetString());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", init.Detail.GetProperty("certificate").GetString());
        Assert.Equal(["certificate", "rollout_state", "serial"], init.Detail.EnumerateObject().Select(p => p.Name).Order());

        var taken = await admin.Post("/token/init", ("type", "certificate"), ("user", $"carol@{realm}"), ("serial", serial),
            ("request", TestCsrs.Rsa("carol")), ("ca", "localCA"));
        Assert.Equal(HttpStatusCode.BadRequest, taken.Status);
        Assert.Contains("taken", taken.ErrorMessage);

        // List with privacyIDEA's filters and read the token dict as a client does.
        var listed = await admin.Get($"/token/?serial={serial}&type=*cert*&assigned=True&tokenrealm={realm}&description=fir*");
        Assert.Equal(1, listed.Value.GetProperty("count").GetInt32());
        var token = listed.Value.GetProperty("tokens")[0];
        Assert.Equal(serial, token.GetProperty("serial").GetString());
        Assert.Equal("certificate", token.GetProperty("tokentype").GetString());
        Assert.Equal("carol", token.GetProperty("username").GetString());
        Assert.Equal(realm, token.GetProperty("user_realm").GetString());
        Assert.Equal([realm], token.GetProperty("realms").EnumerateArray().Select(r => r.GetString()));
        Assert.True(token.GetProperty("active").GetBoolean());
        Assert.False(token.GetProperty("revoked").GetBoolean());
        Assert.False(token.GetProperty("locked").GetBoolean());
        Assert.Equal("localCA", token.GetProperty("info").GetProperty("CA").GetString());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", token.GetProperty("info").GetProperty("certificate").GetString());

        // Description, set, and refusals of what does not apply.
        Assert.True((await admin.Post("/token/description", ("serial", serial), ("description", "laptop"))).Ok);
        Assert.True((await admin.Post("/token/set", ("serial", serial), ("description", "laptop carol"))).Ok);
        var otp = await admin.Post("/token/set", ("serial", serial), ("hashlib", "sha256"));
        Assert.Equal(HttpStatusCode.BadRequest, otp.Status);
        Assert.Contains("hashlib", otp.ErrorMessage);
        Assert.Equal(1, (await admin.Get("/token/?description=laptop carol")).Value.GetProperty("count").GetInt32());

        // Unassign: no owner, seen by staff with assigned=False, by nobody as user; then assign to dave.
        Assert.True((await admin.Post("/token/unassign", ("serial", serial))).Ok);
        var unassigned = await admin.Get($"/token/?serial={serial}&assigned=False");
        Assert.Equal("", unassigned.Value.GetProperty("tokens")[0].GetProperty("username").GetString());
        var carol = await LoginAsync("carol", PortalUsers.Password);
        Assert.Equal(0, (await carol.Get("/token/")).Value.GetProperty("count").GetInt32());
        var assigned = await admin.Post("/token/assign", ("serial", serial), ("user", $"dave@{realm}"));
        Assert.True(assigned.Ok, assigned.ToString());
        var again = await admin.Post("/token/assign", ("serial", serial), ("user", $"carol@{realm}"));
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Contains("already assigned", again.ErrorMessage);

        // Revoke all of dave's tokens by user, then the privacyIDEA answers for a locked token.
        var revoked = await admin.Post("/token/revoke", ("user", "dave"), ("realm", realm));
        Assert.True(revoked.Ok, revoked.ToString());
        Assert.Equal(1, revoked.Value.GetInt32());
        var revokeAgain = await admin.Post("/token/revoke", ("serial", serial));
        Assert.Equal((HttpStatusCode.BadRequest, 1007), (revokeAgain.Status, revokeAgain.ErrorCode));
        var enable = await admin.Post("/token/enable", ("serial", serial));
        Assert.Equal((HttpStatusCode.BadRequest, 1007), (enable.Status, enable.ErrorCode));

        // Delete by query, then it is gone: 404 with privacyIDEA's 601.
        var deleted = await admin.Delete($"/token/?serial={serial}");
        Assert.True(deleted.Ok, deleted.ToString());
        var gone = await admin.Get($"/token/{serial}");
        Assert.Equal((HttpStatusCode.NotFound, 601), (gone.Status, gone.ErrorCode));
        await using var db = _portal.NewDb();
        Assert.False(await db.Tokens.AnyAsync(t => t.Serial == serial));
    }

    [Fact]
    public async Task Scenario_PrivacyIdeaAdminScript_TokenInfoSetPinAndCaConnectorUpdate()
    {
        var realm = $"pi{Guid.NewGuid():N}"[..10];
        await _portal.CreateUserAsync("frank", PortalRoles.User, realm);
        var admin = await LoginAsync("admin", PortalFactory.AdminPassword);

        // Enrol with a generated key: privacyIDEA's info carries the PKCS#12 for the admin.
        var init = await admin.Post("/token/init", ("type", "certificate"), ("user", $"frank@{realm}"), ("genkey", "1"),
            ("keytype", "ec"), ("curve", "P-256"), ("ca", "localCA"), ("pin", "Frank-Pin-1"));
        Assert.True(init.Ok, init.ToString());
        var serial = init.Detail.GetProperty("serial").GetString()!;
        Assert.False(init.Detail.TryGetProperty("pkcs12_password", out _));

        // Token info: set, read back from the token dict, find by infokey/infovalue, refuse the portal's keys, delete.
        var set = await admin.Post($"/token/info/{serial}/inventory", ("value", "INV-4711"));
        Assert.True(set.Ok, set.ToString());
        Assert.True(set.Value.GetBoolean());
        var found = await admin.Get($"/token/?infokey=inventory&infovalue=INV-47*&tokenrealm={realm}");
        Assert.Equal(1, found.Value.GetProperty("count").GetInt32());
        var info = found.Value.GetProperty("tokens")[0].GetProperty("info");
        Assert.Equal("INV-4711", info.GetProperty("inventory").GetString());
        Assert.False(string.IsNullOrEmpty(info.GetProperty("pkcs12").GetString()));
        var forged = await admin.Post($"/token/info/{serial}/certificate", ("value", "forged"));
        Assert.Equal((HttpStatusCode.BadRequest, 905), (forged.Status, forged.ErrorCode));
        Assert.Contains("'certificate'", forged.ErrorMessage);
        Assert.True((await admin.Delete($"/token/info/{serial}/inventory")).Value.GetBoolean());
        Assert.Equal(0, (await admin.Get("/token/?infokey=inventory&infovalue=INV-4711")).Value.GetProperty("count").GetInt32());

        // setpin with privacyIDEA's otppin plus the current PIN: the stored PKCS#12 follows the new PIN.
        var noCurrent = await admin.Post("/token/setpin", ("serial", serial), ("otppin", "Frank-Pin-2"));
        Assert.Equal(HttpStatusCode.BadRequest, noCurrent.Status);
        Assert.Contains("current_pin", noCurrent.ErrorMessage);
        var setpin = await admin.Post("/token/setpin", ("serial", serial), ("otppin", "Frank-Pin-2"), ("current_pin", "Frank-Pin-1"));
        Assert.True(setpin.Ok, setpin.ToString());
        Assert.Equal(1, setpin.Value.GetInt32());
        var file = (await admin.Get($"/token/{serial}")).Value.GetProperty("info").GetProperty("pkcs12").GetString()!;
        var pkcs12 = Convert.FromBase64String(file);
        Assert.NotNull(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12Collection(pkcs12, "Frank-Pin-2"));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12Collection(pkcs12, "Frank-Pin-1"));

        // CA connector: create, then update one setting; the others stay; the type stays.
        var ca = $"pica{Guid.NewGuid():N}"[..12];
        Assert.True((await admin.Post($"/caconnector/{ca}", ("type", "local"), ("subject", $"CN={ca}"), ("keytype", "ec"), ("curve", "P-256"),
            ("crl_validity_days", "10"), ("crl_overlap_days", "4"))).Ok);
        var updated = await admin.Post($"/caconnector/{ca}", ("type", "local"), ("crl_validity_days", "20"));
        Assert.True(updated.Ok, updated.ToString());
        var data = Assert.Single((await admin.Get($"/caconnector/{ca}")).Value.EnumerateArray()).GetProperty("data");
        Assert.Equal(("20", "4"), (data.GetProperty("crl_validity_days").GetString(), data.GetProperty("crl_overlap_days").GetString()));
        var retype = await admin.Post($"/caconnector/{ca}", ("type", "approval"), ("signer", "localCA"));
        Assert.Equal(HttpStatusCode.BadRequest, retype.Status);
        Assert.Equal("local", Assert.Single((await admin.Get($"/caconnector/{ca}")).Value.EnumerateArray()).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("serial", "")]
    [InlineData("serial", "has space")]
    [InlineData("serial", "X123456789012345678901234567890123")]
    public async Task Init_BadSerial_Is400AndNothingWritten(string name, string value)
    {
        var admin = await LoginAsync("admin", PortalFactory.AdminPassword);
        await using var before = _portal.NewDb();
        var count = await before.Tokens.CountAsync();

        var answer = await admin.Post("/token/init", ("type", "certificate"), (name, value), ("request", TestCsrs.Rsa("admin")), ("ca", "localCA"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("serial", answer.ErrorMessage);
        await using var after = _portal.NewDb();
        Assert.Equal(count, await after.Tokens.CountAsync());
    }

    [Fact]
    public async Task Assign_AsUserOrUnknownUser_RefusedAndNothingWritten()
    {
        var realm = $"pa{Guid.NewGuid():N}"[..10];
        await _portal.CreateUserAsync("erin", PortalRoles.User, realm);
        var admin = await LoginAsync("admin", PortalFactory.AdminPassword);
        var erin = await LoginAsync("erin", PortalUsers.Password);
        var init = await admin.Post("/token/init", ("type", "certificate"), ("user", $"erin@{realm}"), ("request", TestCsrs.Rsa("erin")), ("ca", "localCA"));
        var serial = init.Detail.GetProperty("serial").GetString()!;
        Assert.True((await admin.Post("/token/unassign", ("serial", serial))).Ok);

        var byUser = await erin.Post("/token/assign", ("serial", serial), ("user", "erin"));
        var unknown = await admin.Post("/token/assign", ("serial", serial), ("user", $"nobody@{realm}"));
        var noUser = await admin.Post("/token/assign", ("serial", serial));

        Assert.Equal(HttpStatusCode.Forbidden, byUser.Status);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noUser.Status);
        await using var db = _portal.NewDb();
        Assert.Equal("", (await db.Tokens.SingleAsync(t => t.Serial == serial)).OwnerUserName);
    }

    [Fact]
    public async Task Policy_GetEnableDisable_AsPrivacyIdea()
    {
        var admin = await LoginAsync("admin", PortalFactory.AdminPassword);
        var name = $"pp{Guid.NewGuid():N}"[..12];
        Assert.True((await admin.Post($"/policy/{name}", ("action", "max_token_per_user=5"), ("realm", "nowhere"))).Ok);

        var disabled = await admin.Post($"/policy/disable/{name}");
        var got = await admin.Get($"/policy/{name}");
        var enabled = await admin.Post($"/policy/enable/{name}");
        var unknown = await admin.Get("/policy/no-such-policy");
        var enableUnknown = await admin.Post("/policy/enable/no-such-policy");

        Assert.True(disabled.Ok, disabled.ToString());
        var policy = Assert.Single(got.Value.EnumerateArray());
        Assert.False(policy.GetProperty("active").GetBoolean());
        Assert.Equal("max_token_per_user=5", policy.GetProperty("action").GetString());
        Assert.True(enabled.Ok);
        Assert.Equal(JsonValueKind.Array, unknown.Value.ValueKind);
        Assert.Equal(0, unknown.Value.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, enableUnknown.Status);
        await using var db = _portal.NewDb();
        Assert.True((await db.Policies.SingleAsync(p => p.Name == name)).Active);
    }
}
