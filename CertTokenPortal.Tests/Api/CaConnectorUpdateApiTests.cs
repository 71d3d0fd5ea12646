using System.Net;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// <c>POST /caconnector/&lt;name&gt;</c> on an existing connector updates it as privacyIDEA's save_caconnector does:
/// given settings replace, others are kept, the type stays, key and certificate are not settings.
/// </summary>
[Trait("Category", "Api")]
public sealed class CaConnectorUpdateApiTests : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private readonly PortalFactory _portal;
    private ApiClient _admin = null!;

    public CaConnectorUpdateApiTests(PortalFactory portal) => _portal = portal;

    public async Task InitializeAsync() => _admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> CreateLocalCaAsync()
    {
        var name = $"upd{Guid.NewGuid():N}"[..12];
        var created = await _admin.PostFormAsync($"/caconnector/{name}",
            ("type", "local"), ("subject", $"CN={name}"), ("keytype", "ec"), ("curve", "P-256"), ("validity_days", "100"));
        Assert.True(created.Ok, created.ToString());
        Assert.True((await _admin.PostFormAsync($"/caconnector/{name}/template/vpn", ("days", "30"), ("key_usage", "digitalSignature"),
            ("extended_key_usage", "clientAuth"))).Ok);
        return name;
    }

    private async Task<string> StateAsync(string name)
    {
        await using var db = _portal.NewDb();
        var ca = await db.CaConnectors.AsNoTracking().Include(c => c.LocalCa).SingleAsync(c => c.Name == name);
        return string.Join('|', ca.Type, ca.DefaultTemplate, ca.SettingsJson, ca.UpdatedAt.Ticks, ca.LocalCa?.CrlValidityDays, ca.LocalCa?.CrlOverlapDays,
            ca.LocalCa?.CertificatePem, ca.LocalCa is null ? "" : Convert.ToBase64String(ca.LocalCa.EncryptedPrivateKey));
    }

    private async Task<System.Text.Json.JsonElement> DataAsync(string name) =>
        Assert.Single((await _admin.GetAsync($"/caconnector/{name}")).Value.EnumerateArray()).GetProperty("data");

    [Fact]
    public async Task Update_GivenSettingsReplace_OthersAndKeyAreKept()
    {
        var name = await CreateLocalCaAsync();
        await using var before = _portal.NewDb();
        var original = await before.LocalCas.AsNoTracking().SingleAsync(l => l.CaConnector.Name == name);

        var validity = await _admin.PostFormAsync($"/caconnector/{name}", ("crl_validity_days", "14"));
        var overlap = await _admin.PostFormAsync($"/caconnector/{name}", ("type", "local"), ("crl_overlap_days", "3"));
        var template = await _admin.PostFormAsync($"/caconnector/{name}", ("default_template", "vpn"));

        Assert.True(validity.Ok, validity.ToString());
        Assert.True(overlap.Ok, overlap.ToString());
        Assert.True(template.Ok, template.ToString());
        var data = await DataAsync(name);
        Assert.Equal("14", data.GetProperty("crl_validity_days").GetString());
        Assert.Equal("3", data.GetProperty("crl_overlap_days").GetString());
        Assert.Equal("vpn", data.GetProperty("default_template").GetString());
        Assert.Equal($"CN={name}", data.GetProperty("subject").GetString());
        Assert.DoesNotContain("PRIVATE", template.Body);
        await using var after = _portal.NewDb();
        var updated = await after.LocalCas.AsNoTracking().SingleAsync(l => l.CaConnector.Name == name);
        Assert.Equal(original.CertificatePem, updated.CertificatePem);
        Assert.Equal(original.EncryptedPrivateKey, updated.EncryptedPrivateKey);
        Assert.Equal((14, 3), (updated.CrlValidityDays, updated.CrlOverlapDays));
        Assert.Equal(3, await after.AuditEntries.CountAsync(e => e.CaName == name && e.Action == AuditActions.CaUpdate && e.Success));
    }

    public static TheoryData<(string, string)[], string> BadUpdates => new()
    {
        { [("type", "approval"), ("signer", "localCA")], "type" },
        { [("type", "")], "type" },
        { [("crl_validity_days", "abc")], "crl_validity_days" },
        { [("crl_validity_days", "")], "crl_validity_days" },
        { [("crl_validity_days", "0")], "crl_validity_days" },
        { [("crl_validity_days", "99999999999")], "crl_validity_days" },
        { [("crl_overlap_days", "7")], "crl_overlap_days" },
        { [("default_template", "nosuch")], "default_template" },
        { [("default_template", new string('t', 5000))], "default_template" },
        { [("signer", "localCA")], "signer" },
        { [("subject", "CN=Other")], "subject" },
        { [("cakey", "-----BEGIN PRIVATE KEY-----")], "cakey" },
        { [("pkcs12", "MIIB")], "pkcs12" },
        { [("colour", "blue")], "colour" },
        { [("crl_validity_days", "10"), ("colour", "blue")], "colour" },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task Update_BadInput_Is400NamingItAndNothingChanged((string, string)[] form, string named)
    {
        var name = await CreateLocalCaAsync();
        var before = await StateAsync(name);

        var answer = await _admin.PostFormAsync($"/caconnector/{name}", form);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(named, answer.ErrorMessage);
        Assert.Equal(before, await StateAsync(name));
    }

    [Fact]
    public async Task Update_ApprovalSigner_ReplacedAndOnlyByALocalCa()
    {
        var signer = await CreateLocalCaAsync();
        var name = $"apr{Guid.NewGuid():N}"[..12];
        Assert.True((await _admin.PostFormAsync($"/caconnector/{name}", ("type", "approval"), ("signer", "localCA"))).Ok);

        var changed = await _admin.PostFormAsync($"/caconnector/{name}", ("signer", signer));
        var state = await StateAsync(name);
        var notLocal = await _admin.PostFormAsync($"/caconnector/{name}", ("signer", name));
        var crl = await _admin.PostFormAsync($"/caconnector/{name}", ("crl_validity_days", "9"));

        Assert.True(changed.Ok, changed.ToString());
        Assert.Equal(signer, (await DataAsync(name)).GetProperty("signer").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, notLocal.Status);
        Assert.Contains("signer", notLocal.ErrorMessage);
        Assert.Equal(HttpStatusCode.BadRequest, crl.Status);
        Assert.Equal(state, await StateAsync(name));
    }

    [Fact]
    public async Task Update_AsHelpdesk_Is403AndNothingChanged()
    {
        var name = await CreateLocalCaAsync();
        var helpdeskName = $"ch{Guid.NewGuid():N}"[..12];
        await _portal.CreateUserAsync(helpdeskName, PortalRoles.Helpdesk);
        var helpdesk = await ApiClient.LoginAsync(_portal, helpdeskName, PortalUsers.Password);
        var before = await StateAsync(name);

        var answer = await helpdesk.PostFormAsync($"/caconnector/{name}", ("crl_validity_days", "30"));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal(before, await StateAsync(name));
    }
}
