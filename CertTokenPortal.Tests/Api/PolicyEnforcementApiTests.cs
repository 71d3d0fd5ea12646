using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// Each enrolment action's effect through <c>/token/init</c> and <c>/token/revoke</c>. Every test works in a realm of
/// its own and scopes its policy to it, so the tests of this class never see each other's policies.
/// </summary>
[Trait("Category", "Api")]
public sealed class PolicyEnforcementApiTests(PolicyEnforcementApiTests.Portal portal) : IClassFixture<PolicyEnforcementApiTests.Portal>
{
    /// <summary>The portal with a second CA ("otherCA") next to the seeded localCA.</summary>
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            var admin = await ApiClient.LoginAsync(this, "admin", AdminPassword);
            var created = await admin.PostFormAsync("/caconnector/otherCA", ("type", "local"), ("subject", "CN=Other CA"), ("keytype", "ec"), ("curve", "P-256"));
            Assert.True(created.Ok, created.ToString());
            var template = await admin.PostFormAsync("/caconnector/otherCA/template/user", ("days", "30"), ("key_usage", "digitalSignature"), ("extended_key_usage", "clientAuth"));
            Assert.True(template.Ok, template.ToString());
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    /// <summary>A realm, a user in it (logged in), the admin, and policies for that realm.</summary>
    private sealed class Realm(PortalFactory portal, string name, string user, ApiClient admin, ApiClient owner)
    {
        public string Name => name;
        public string User => user;
        public ApiClient Admin => admin;
        public ApiClient Owner => owner;

        public static async Task<Realm> CreateAsync(PortalFactory portal)
        {
            var name = $"r{Guid.NewGuid():N}"[..12];
            var user = $"u{name}";
            await portal.CreateUserAsync(user, PortalRoles.User, name);
            return new Realm(portal, name, user,
                await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword),
                await ApiClient.LoginAsync(portal, user, PortalUsers.Password));
        }

        public async Task<string> PolicyAsync(string action)
        {
            var policy = $"p{Guid.NewGuid():N}"[..12];
            var answer = await admin.PostFormAsync($"/policy/{policy}", ("action", action), ("realm", name));
            Assert.True(answer.Ok, answer.ToString());
            return policy;
        }

        public Task<ApiAnswer> EnrolCsrAsync(string? ca = "localCA", string? template = null, string? csr = null, string? attestation = null)
        {
            var fields = new List<(string, string)> { ("type", "certificate"), ("request", csr ?? TestCsrs.Rsa(user)) };
            if (ca is not null) fields.Add(("ca", ca));
            if (template is not null) fields.Add(("template", template));
            if (attestation is not null) fields.Add(("attestation", attestation));
            return owner.PostFormAsync("/token/init", fields.ToArray());
        }

        public Task<ApiAnswer> EnrolGenkeyAsync(string? pin = null, string keytype = "ec")
        {
            var fields = new List<(string, string)> { ("type", "certificate"), ("genkey", "1"), ("keytype", keytype), ("ca", "localCA") };
            if (pin is not null) fields.Add(("pin", pin));
            return owner.PostFormAsync("/token/init", fields.ToArray());
        }

        public async Task<int> TokenCountAsync()
        {
            await using var db = portal.NewDb();
            return await db.Tokens.CountAsync(t => t.OwnerUserName == user);
        }
    }

    private static void AssertRefused(ApiAnswer answer, HttpStatusCode status, string message)
    {
        Assert.True(answer.Status == status, answer.ToString());
        Assert.False(answer.Ok);
        Assert.Contains(message, answer.ErrorMessage);
    }

    [Fact]
    public async Task Init_CaForcedByPolicy_DefaultsToItAndRefusesAnother()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("certificate_ca_connector=otherCA");

        var defaulted = await r.EnrolCsrAsync(ca: null);
        var other = await r.EnrolCsrAsync(ca: "localCA");

        Assert.True(defaulted.Ok, defaulted.ToString());
        using var certificate = X509Certificate2.CreateFromPem(defaulted.Detail.GetProperty("certificate").GetString()!);
        Assert.Equal("CN=Other CA", certificate.Issuer);
        AssertRefused(other, HttpStatusCode.Forbidden, $"Policy '{policy}' requires the CA 'otherCA'; 'localCA' may not be used.");
        Assert.Equal(1, await r.TokenCountAsync());
    }

    [Fact]
    public async Task Init_TemplateForcedByPolicy_RefusesAnother()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("certificate_template=server");

        AssertRefused(await r.EnrolCsrAsync(template: "user"), HttpStatusCode.Forbidden, $"Policy '{policy}' requires the template 'server'");
        Assert.Equal("server", (await r.EnrolCsrAsync()).Detail.GetProperty("serial").GetString() is { } serial
            ? (await r.Owner.GetAsync($"/token/{serial}")).Value.GetProperty("info").GetProperty("template").GetString()
            : null);
    }

    [Fact]
    public async Task Init_AllowedTemplates_RefusesOthers()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("allowed_templates=server");

        AssertRefused(await r.EnrolCsrAsync(template: "user"), HttpStatusCode.Forbidden, $"Policy '{policy}' allows only the templates 'server'");
        Assert.True((await r.EnrolCsrAsync(template: "server")).Ok);
    }

    [Fact]
    public async Task Init_SubjectComponentPolicy_GeneratedSubjectHasEmailAndRealm()
    {
        var r = await Realm.CreateAsync(portal);
        await r.PolicyAsync("certificate_request_subject_component=email realm");

        var answer = await r.EnrolGenkeyAsync();

        Assert.True(answer.Ok, answer.ToString());
        using var certificate = X509Certificate2.CreateFromPem(answer.Detail.GetProperty("certificate").GetString()!);
        Assert.Contains($"E={r.User}@example.test", certificate.Subject);
        Assert.Contains($"OU={r.Name}", certificate.Subject);
    }

    [Fact]
    public async Task Init_KeyRules_WeakKeyRefusedNamingPolicy()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("key_rules=rsa>=3072 ec:P-256");

        AssertRefused(await r.EnrolCsrAsync(), HttpStatusCode.Forbidden, $"Policy '{policy}' allows only keys of RSA of at least 3072 bits or EC on P-256; this request has RSA 2048.");
        AssertRefused(await r.EnrolGenkeyAsync(keytype: "rsa"), HttpStatusCode.Forbidden, "this request has RSA 2048");
        Assert.True((await r.EnrolCsrAsync(csr: TestCsrs.Ec(r.User))).Ok);
        Assert.Equal(1, await r.TokenCountAsync());
    }

    [Fact]
    public async Task Init_PinRules_WeakPassphraseRefused()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("pin_rules=min=8 classes=3");

        AssertRefused(await r.EnrolGenkeyAsync("short1"), HttpStatusCode.Forbidden, $"Policy '{policy}' refuses this PKCS#12 passphrase");
        Assert.True((await r.EnrolGenkeyAsync("Long-Enough-1")).Ok);
        Assert.Equal(1, await r.TokenCountAsync());
    }

    [Fact]
    public async Task Init_MaxTokenUser_Reached409NamingPolicy()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("max_token_per_user=1");
        Assert.True((await r.EnrolCsrAsync()).Ok);

        AssertRefused(await r.EnrolCsrAsync(), HttpStatusCode.Conflict, $"Policy '{policy}' allows {r.User} at most 1 certificate token(s)");
        Assert.Equal(1, await r.TokenCountAsync());
    }

    [Fact]
    public async Task Init_MaxActiveTokenUser_Reached409_RevokedTokenFreesTheSlot()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("max_active_token_per_user=1");
        var first = (await r.EnrolCsrAsync()).Detail.GetProperty("serial").GetString()!;

        var refused = await r.EnrolCsrAsync();
        var revoked = await r.Owner.PostFormAsync("/token/revoke", ("serial", first));
        var afterRevoke = await r.EnrolCsrAsync();

        AssertRefused(refused, HttpStatusCode.Conflict, $"Policy '{policy}' allows {r.User} at most 1 active certificate token(s)");
        Assert.True(revoked.Ok, revoked.ToString());
        Assert.True(afterRevoke.Ok, afterRevoke.ToString());
    }

    [Fact]
    public async Task Init_ParallelEnrolmentsAtTheQuota_ExactlyTheAllowedNumberSucceed()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("max_token_per_user=3");
        Assert.True((await r.EnrolCsrAsync()).Ok);

        // Two slots left, eight requests at once, each on its own connection.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => r.EnrolCsrAsync())));

        Assert.Equal(2, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Contains(answers, a => a.Status != HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => AssertRefused(a, HttpStatusCode.Conflict, $"Policy '{policy}'"));
        Assert.Equal(3, await r.TokenCountAsync());
    }

    [Fact]
    public async Task Revoke_UserMayRevokeFalse_Owner403HelpdeskAllowed()
    {
        var r = await Realm.CreateAsync(portal);
        var policy = await r.PolicyAsync("user_may_revoke=false");
        var serial = (await r.EnrolCsrAsync()).Detail.GetProperty("serial").GetString()!;

        var byOwner = await r.Owner.PostFormAsync("/token/revoke", ("serial", serial));
        var byAdmin = await r.Admin.PostFormAsync("/token/revoke", ("serial", serial));

        AssertRefused(byOwner, HttpStatusCode.Forbidden, $"Policy '{policy}' does not let users revoke their own tokens");
        Assert.True(byAdmin.Ok, byAdmin.ToString());
    }

    [Fact]
    public async Task Init_Attestation_RequiredMissing400_VerifyMismatch400NothingSaved()
    {
        using var pki = new TestAttestationPki("rsa", "ec", "Api");
        var r = await Realm.CreateAsync(portal);
        var root = $"root{Guid.NewGuid():N}"[..12];
        var uploaded = await r.Admin.PostFormAsync($"/attestation/root/{root}", ("certificate", pki.RootPem));
        Assert.True(uploaded.Ok, uploaded.ToString());
        var required = await r.PolicyAsync("certificate_require_attestation=require_and_verify");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var missing = await r.EnrolCsrAsync(csr: TestAttestationPki.Csr(key, r.User));
        var attested = await r.EnrolCsrAsync(csr: TestAttestationPki.Csr(key, r.User), attestation: pki.Attest(key));
        await r.Admin.PostFormAsync($"/policy/{required}", ("action", "certificate_require_attestation=verify"), ("realm", r.Name));
        var mismatch = await r.EnrolCsrAsync(csr: TestAttestationPki.Csr(key, r.User), attestation: pki.Attest(otherKey));

        AssertRefused(missing, HttpStatusCode.BadRequest, "requires an attestation certificate for the key of the request ('attestation'); none was given");
        Assert.True(attested.Ok, attested.ToString());
        Assert.StartsWith("verified: ", attested.Detail.GetProperty("attestation").GetString());
        AssertRefused(mismatch, HttpStatusCode.BadRequest, "the public key check failed");
        var listed = await r.Admin.GetAsync($"/token/?user={r.User}&realm={r.Name}");
        Assert.Equal(1, listed.Value.GetProperty("count").GetInt32());
        Assert.True((await r.Admin.DeleteAsync($"/attestation/root/{root}")).Ok);
    }

    [Fact]
    public async Task AttestationRoot_AddListDelete_AndBadInputRefused()
    {
        using var pki = new TestAttestationPki("ec", "ec", "Listed");
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        var name = $"root{Guid.NewGuid():N}"[..12];

        var bad = await admin.PostFormAsync($"/attestation/root/{name}", ("certificate", "not a certificate"));
        var added = await admin.PostFormAsync($"/attestation/root/{name}", ("certificate", pki.RootPem));
        var listed = await admin.GetAsync("/attestation/root/");
        var deleted = await admin.DeleteAsync($"/attestation/root/{name}");

        AssertRefused(bad, HttpStatusCode.BadRequest, "cannot be read");
        Assert.True(added.Ok, added.ToString());
        Assert.Equal(Convert.ToHexString(SHA256.HashData(pki.Root.RawData)), added.Value.GetProperty("sha256").GetString());
        Assert.Contains(listed.Value.EnumerateArray(), r => r.GetProperty("name").GetString() == name);
        Assert.True(deleted.Ok, deleted.ToString());
    }
}
