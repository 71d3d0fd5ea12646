using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// The role table of the design, driven through the API: every operation by every role, against a token owned by
/// someone else ("victim") unless the operation says "own".
/// </summary>
[Trait("Category", "Api")]
public sealed class RoleMatrixTests : IClassFixture<RoleMatrixTests.Portal>
{
    private readonly Portal _portal;

    public RoleMatrixTests(Portal portal) => _portal = portal;

    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("helpdesk1", PortalRoles.Helpdesk);
            await this.CreateUserAsync("user1", PortalRoles.User);
            await this.CreateUserAsync("victim", PortalRoles.User);
            var admin = await ApiClient.LoginAsync(this, "admin", AdminPassword);
            var approval = await admin.PostFormAsync("/caconnector/approvalCA", ("type", "approval"), ("signer", "localCA"));
            Assert.True(approval.Ok, approval.ToString());
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<string, string, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string, string, HttpStatusCode>();
        void Row(string operation, HttpStatusCode admin, HttpStatusCode helpdesk, HttpStatusCode user)
        {
            data.Add(PortalRoles.Admin, operation, admin);
            data.Add(PortalRoles.Helpdesk, operation, helpdesk);
            data.Add(PortalRoles.User, operation, user);
        }

        const HttpStatusCode ok = HttpStatusCode.OK, forbidden = HttpStatusCode.Forbidden;
        // Another user's token is 'not found' for an end user, so that serials cannot be probed.
        const HttpStatusCode hidden = HttpStatusCode.NotFound;
        Row("enrol-own", ok, ok, ok);
        Row("enrol-for-other", ok, ok, ok); // a user's 'user' parameter is ignored: the token is the caller's
        Row("list", ok, ok, ok);
        Row("view-other", ok, ok, hidden);
        Row("certificate-other", ok, ok, hidden);
        Row("revoke-other", ok, ok, hidden);
        Row("revoke-own", ok, ok, ok);
        Row("disable-other", ok, ok, hidden);
        Row("delete-other", ok, forbidden, hidden);
        Row("pkcs12-other", ok, forbidden, hidden);
        Row("pkcs12-own", ok, ok, ok);
        // Token info is privacyIDEA's admin action settokeninfo: refused before the serial is even looked at.
        Row("info-set-other", ok, forbidden, forbidden);
        Row("info-delete-other", ok, forbidden, forbidden);
        Row("setpin-other", ok, ok, hidden);
        Row("ca-update", ok, forbidden, forbidden);
        Row("ca-list", ok, ok, forbidden);
        Row("ca-create", ok, forbidden, forbidden);
        Row("ca-template", ok, forbidden, forbidden);
        Row("ca-crl-publish", ok, forbidden, forbidden);
        Row("user-list", ok, ok, forbidden);
        Row("user-create", ok, forbidden, forbidden);
        Row("policy-list", ok, ok, forbidden);
        Row("policy-set", ok, forbidden, forbidden);
        Row("attestation-root-list", ok, ok, forbidden);
        Row("approve-other", ok, forbidden, forbidden);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Operation_ByRole_AnswersExpectedStatus(string role, string operation, HttpStatusCode expected)
    {
        var (caller, password) = role switch
        {
            PortalRoles.Admin => ("admin", PortalFactory.AdminPassword),
            PortalRoles.Helpdesk => ("helpdesk1", PortalUsers.Password),
            _ => ("user1", PortalUsers.Password),
        };
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var api = await ApiClient.LoginAsync(_portal, caller, password);
        var unique = Guid.NewGuid().ToString("N")[..8];

        var answer = operation switch
        {
            "enrol-own" => await Enrol(api, null, commonName: caller),
            // An end user's user parameter is ignored: the token is the caller's, and so is the CSR's name.
            "enrol-for-other" => await Enrol(api, "victim", commonName: role == PortalRoles.User ? caller : null),
            "list" => await api.GetAsync("/token/"),
            "view-other" => await api.GetAsync($"/token/{await VictimTokenAsync(admin)}"),
            "certificate-other" => await Download(api, $"/token/{await VictimTokenAsync(admin)}/certificate"),
            "revoke-other" => await api.PostFormAsync("/token/revoke", ("serial", await VictimTokenAsync(admin))),
            "revoke-own" => await api.PostFormAsync("/token/revoke", ("serial", Serial(await Enrol(api, null, commonName: caller)))),
            "disable-other" => await api.PostFormAsync("/token/disable", ("serial", await VictimTokenAsync(admin))),
            "delete-other" => await api.DeleteAsync($"/token/{await VictimTokenAsync(admin)}"),
            "pkcs12-other" => await Download(api, $"/token/{await VictimTokenAsync(admin, genkey: true)}/pkcs12"),
            "info-set-other" => await api.PostFormAsync($"/token/info/{await VictimTokenAsync(admin)}/asset", ("value", unique)),
            "info-delete-other" => await api.DeleteAsync($"/token/info/{await VictimTokenAsync(admin)}/asset"),
            "setpin-other" => await api.PostFormAsync("/token/setpin", ("serial", await VictimTokenAsync(admin)), ("otppin", $"Pin-{unique}")),
            "ca-update" => await api.PostFormAsync("/caconnector/localCA", ("crl_validity_days", "7")),
            "pkcs12-own" => await Download(api, $"/token/{Serial(await Enrol(api, null, genkey: true))}/pkcs12"),
            "ca-list" => await api.GetAsync("/caconnector/"),
            "ca-create" => await api.PostFormAsync($"/caconnector/ca{unique}", ("type", "local"), ("subject", $"CN=Matrix {unique}"), ("keytype", "ec"), ("curve", "P-256")),
            "ca-template" => await api.PostFormAsync($"/caconnector/localCA/template/t{unique}", ("days", "30"), ("key_usage", "digitalSignature"), ("extended_key_usage", "clientAuth")),
            "ca-crl-publish" => await api.PostFormAsync("/caconnector/localCA/crl"),
            "user-list" => await api.GetAsync("/user/"),
            "user-create" => await api.PostFormAsync("/user/", ("username", $"u{unique}"), ("password", PortalUsers.Password), ("role", "user")),
            "policy-list" => await api.GetAsync("/policy/"),
            "policy-set" => await api.PostFormAsync($"/policy/p{unique}", ("action", "max_token_per_user=5"), ("realm", "matrix-nowhere")),
            "attestation-root-list" => await api.GetAsync("/attestation/root/"),
            "approve-other" => await api.PostFormAsync($"/token/approve/{await VictimPendingTokenAsync()}"),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        Assert.True(answer.Status == expected, $"{role} {operation}: expected {(int)expected}, got {answer}");
        if (expected == HttpStatusCode.Forbidden && answer.Response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            Assert.False(answer.Ok);
            Assert.False(string.IsNullOrWhiteSpace(answer.ErrorMessage));
        }
        if (operation == "enrol-for-other" && role == PortalRoles.User)
        {
            await using var db = _portal.NewDb();
            Assert.Equal("user1", (await db.Tokens.SingleAsync(t => t.Serial == Serial(answer))).OwnerUserName);
        }
    }

    /// <summary>Enrols with the default (user) template, whose names come from the owner: the CSR names the owner.</summary>
    private static Task<ApiAnswer> Enrol(ApiClient api, string? user, bool genkey = false, string? commonName = null)
    {
        var fields = new List<(string, string)> { ("type", "certificate"), ("ca", "localCA") };
        if (user is not null)
        {
            fields.Add(("user", user));
        }
        fields.AddRange(genkey
            ? [("genkey", "1"), ("keytype", "ec"), ("pin", "Matrix-Pin-42")]
            : [("request", TestCsrs.Ec(commonName ?? user ?? "matrix"))]);
        return api.PostFormAsync("/token/init", fields.ToArray());
    }

    private static string Serial(ApiAnswer enrolled)
    {
        Assert.True(enrolled.Status == HttpStatusCode.OK, enrolled.ToString());
        return enrolled.Detail.GetProperty("serial").GetString()!;
    }

    private static async Task<string> VictimTokenAsync(ApiClient admin, bool genkey = false) => Serial(await Enrol(admin, "victim", genkey));

    /// <summary>A request the victim made at the approval CA: nobody in the matrix made it or owns it.</summary>
    private async Task<string> VictimPendingTokenAsync()
    {
        var victim = await ApiClient.LoginAsync(_portal, "victim", PortalUsers.Password);
        return Serial(await victim.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "approvalCA"), ("request", TestCsrs.Ec("victim"))));
    }

    /// <summary>A download answers a file on success and an envelope on refusal; both give a status to compare.</summary>
    private static async Task<ApiAnswer> Download(ApiClient api, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await api.SendAsync(request);
    }
}
