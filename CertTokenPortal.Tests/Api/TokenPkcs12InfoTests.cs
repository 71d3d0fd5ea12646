using System.Net;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// info.pkcs12 as privacyIDEA's certificate token shows it, in the list and the detail, for admins and the owner only;
/// the file is the one the download hands out and openssl opens it with the PIN.
/// </summary>
[Trait("Category", "ExternalTool")]
public sealed class TokenPkcs12InfoTests : IClassFixture<PortalFactory>, IDisposable
{
    private const string Pin = "Info-Pin-2026";
    private readonly PortalFactory _portal;
    private readonly TempDirectory _files = new();

    public TokenPkcs12InfoTests(PortalFactory portal) => _portal = portal;

    public void Dispose() => _files.Dispose();

    private async Task<(ApiClient Admin, ApiClient Owner, string Serial)> EnrolAsync()
    {
        var owner = $"pk{Guid.NewGuid():N}"[..12];
        await _portal.CreateUserAsync(owner, PortalRoles.User);
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var init = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", owner), ("ca", "localCA"), ("genkey", "1"),
            ("keytype", "ec"), ("curve", "P-256"), ("pin", Pin));
        Assert.True(init.Ok, init.ToString());
        return (admin, await ApiClient.LoginAsync(_portal, owner, PortalUsers.Password), init.Detail.GetProperty("serial").GetString()!);
    }

    private static System.Text.Json.JsonElement Info(ApiAnswer list) => list.Value.GetProperty("tokens")[0].GetProperty("info");

    [Fact]
    public async Task List_AdminAndOwner_GetTheDownloadableFile_OpenSslOpensItWithThePin()
    {
        var (admin, owner, serial) = await EnrolAsync();

        var byAdmin = Info(await admin.GetAsync($"/token/?serial={serial}")).GetProperty("pkcs12").GetString()!;
        var byOwner = Info(await owner.GetAsync("/token/")).GetProperty("pkcs12").GetString()!;
        var detail = (await owner.GetAsync($"/token/{serial}")).Value.GetProperty("info").GetProperty("pkcs12").GetString()!;
        var (_, downloaded, _, _) = await owner.DownloadAsync($"/token/{serial}/pkcs12");

        Assert.Equal(downloaded, Convert.FromBase64String(byAdmin));
        Assert.Equal(byAdmin, byOwner);
        Assert.Equal(byAdmin, detail);
        var path = _files.File($"{serial}.p12");
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(byOwner));
        Assert.Contains("BEGIN PRIVATE KEY", ExternalTool.OpenSsl("pkcs12", "-in", path, "-passin", $"pass:{Pin}", "-nodes").StdOut);
        await using var db = _portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Serial == serial && e.Action == AuditActions.TokenDownloadPkcs12 && e.Message.Contains("info.pkcs12")));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenList && e.UserName == "admin" && e.Message.Contains(serial)));
    }

    [Fact]
    public async Task List_Helpdesk_SeesThatAFileExistsButNotTheFile()
    {
        var (_, _, serial) = await EnrolAsync();
        var helpdeskName = $"ph{Guid.NewGuid():N}"[..12];
        await _portal.CreateUserAsync(helpdeskName, PortalRoles.Helpdesk);
        var helpdesk = await ApiClient.LoginAsync(_portal, helpdeskName, PortalUsers.Password);

        var listed = Info(await helpdesk.GetAsync($"/token/?serial={serial}"));
        var detail = (await helpdesk.GetAsync($"/token/{serial}")).Value.GetProperty("info");

        Assert.Equal("True", listed.GetProperty("pkcs12_stored").GetString());
        Assert.False(listed.TryGetProperty("pkcs12", out _));
        Assert.False(detail.TryGetProperty("pkcs12", out _));
    }

    [Fact]
    public async Task List_HiddenPkcs12OrCsrToken_HasNoFile()
    {
        var (admin, _, serial) = await EnrolAsync();
        var csr = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "admin"), ("request", TestCsrs.Rsa("admin")), ("ca", "localCA"));
        var csrSerial = csr.Detail.GetProperty("serial").GetString()!;

        var hidden = Info(await admin.GetAsync($"/token/?serial={serial}&hidden_tokeninfo=pkcs12"));
        var fromCsr = Info(await admin.GetAsync($"/token/?serial={csrSerial}"));

        Assert.False(hidden.TryGetProperty("pkcs12", out _));
        Assert.True(hidden.TryGetProperty("pkcs12_stored", out _));
        Assert.False(fromCsr.TryGetProperty("pkcs12", out _));
    }

    [Fact]
    public async Task List_AfterSetPin_FileOpensWithTheNewPin()
    {
        var (_, owner, serial) = await EnrolAsync();
        Assert.True((await owner.PostFormAsync("/token/setpin", ("serial", serial), ("otppin", "Newer-Pin-1"), ("current_pin", Pin))).Ok);

        var file = Info(await owner.GetAsync("/token/")).GetProperty("pkcs12").GetString()!;

        var path = _files.File($"{serial}-new.p12");
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(file));
        Assert.Equal(0, ExternalTool.Run("openssl", ["pkcs12", "-in", path, "-passin", "pass:Newer-Pin-1", "-noout"]).ExitCode);
        Assert.NotEqual(0, ExternalTool.Run("openssl", ["pkcs12", "-in", path, "-passin", $"pass:{Pin}", "-noout"]).ExitCode);
    }
}
