using System.Net;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// <c>/token/setpin</c> re-protects a stored PKCS#12: openssl opens the downloaded file with the new PIN and no longer
/// with the old one; a missing or wrong current PIN changes nothing.
/// </summary>
[Trait("Category", "ExternalTool")]
public sealed class TokenSetPinTests : IClassFixture<PortalFactory>, IDisposable
{
    private const string OldPin = "Old-Pin-2026";
    private const string NewPin = "New Pin 2027!";
    private readonly PortalFactory _portal;
    private readonly TempDirectory _files = new();

    public TokenSetPinTests(PortalFactory portal) => _portal = portal;

    public void Dispose() => _files.Dispose();

    private async Task<(ApiClient Owner, string Serial, string? Password)> EnrolGenkeyAsync(string? pin, string keyArgs = "ec")
    {
        var owner = $"sp{Guid.NewGuid():N}"[..12];
        await _portal.CreateUserAsync(owner, PortalRoles.User);
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var form = new List<(string, string)> { ("type", "certificate"), ("user", owner), ("ca", "localCA"), ("genkey", "1") };
        form.AddRange(keyArgs == "ec" ? [("keytype", "ec"), ("curve", "P-256")] : [("keytype", "rsa"), ("keysize", "2048")]);
        if (pin is not null)
        {
            form.Add(("pin", pin));
        }
        var init = await admin.PostFormAsync("/token/init", form.ToArray());
        Assert.True(init.Ok, init.ToString());
        var password = init.Detail.TryGetProperty("pkcs12_password", out var p) ? p.GetString() : null;
        return (await ApiClient.LoginAsync(_portal, owner, PortalUsers.Password), init.Detail.GetProperty("serial").GetString()!, password);
    }

    private async Task<string> DownloadAsync(ApiClient client, string serial)
    {
        var (status, content, _, _) = await client.DownloadAsync($"/token/{serial}/pkcs12");
        Assert.Equal(HttpStatusCode.OK, status);
        var path = _files.File($"{serial}-{Guid.NewGuid():N}.p12");
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    private static bool Opens(string path, string password) =>
        ExternalTool.Run("openssl", ["pkcs12", "-in", path, "-passin", $"pass:{password}", "-noout"]).ExitCode == 0;

    private async Task<(byte[]? Pkcs12, string? PinHash, Guid Version)> StoredAsync(string serial)
    {
        await using var db = _portal.NewDb();
        var token = await db.Tokens.AsNoTracking().SingleAsync(t => t.Serial == serial);
        return (token.EncryptedPkcs12, token.PinHash, token.Version);
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public async Task SetPin_WithCurrentPin_DownloadOpensWithNewPinOnly(string keyType)
    {
        var (owner, serial, _) = await EnrolGenkeyAsync(OldPin, keyType);
        var before = await DownloadAsync(owner, serial);

        var answer = await owner.PostFormAsync("/token/setpin", ("serial", serial), ("otppin", NewPin), ("current_pin", OldPin));

        Assert.True(answer.Ok, answer.ToString());
        Assert.Equal(1, answer.Value.GetInt32());
        var after = await DownloadAsync(owner, serial);
        Assert.True(Opens(after, NewPin));
        Assert.False(Opens(after, OldPin));
        // Same key, same certificates, same friendly name: only the protection changed.
        var oldContent = ExternalTool.OpenSsl("pkcs12", "-in", before, "-passin", $"pass:{OldPin}", "-nodes").StdOut;
        var newContent = ExternalTool.OpenSsl("pkcs12", "-in", after, "-passin", $"pass:{NewPin}", "-nodes").StdOut;
        Assert.Contains("BEGIN PRIVATE KEY", newContent);
        Assert.Equal(Pems(oldContent), Pems(newContent));
        Assert.Contains($"friendlyName: {serial} ", newContent);
        // The PIN itself changed too: the next change needs the new one.
        var again = await owner.PostFormAsync("/token/setpin", ("serial", serial), ("otppin", OldPin), ("current_pin", OldPin));
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
    }

    [Fact]
    public async Task SetPin_NoPinAtEnrolment_OneTimePasswordIsTheCurrentPin()
    {
        var (owner, serial, password) = await EnrolGenkeyAsync(null);
        Assert.NotNull(password);

        var answer = await owner.PostFormAsync($"/token/setpin/{serial}", ("otppin", NewPin), ("current_pin", password));

        Assert.True(answer.Ok, answer.ToString());
        var after = await DownloadAsync(owner, serial);
        Assert.True(Opens(after, NewPin));
        Assert.False(Opens(after, password));
    }

    public static TheoryData<(string, string)[], string> BadChanges => new()
    {
        { [("otppin", NewPin)], "current_pin" },
        { [("otppin", NewPin), ("current_pin", "Wrong-Pin")], "current_pin" },
        { [("otppin", NewPin), ("current_pin", "")], "current_pin" },
        { [("otppin", NewPin), ("current_pin", new string('p', InputLimits.MaxPinLength + 1))], "current_pin" },
        { [("otppin", ""), ("current_pin", OldPin)], "PIN" },
        { [("current_pin", OldPin)], "PIN" },
        { [("otppin", new string('p', InputLimits.MaxPinLength + 1)), ("current_pin", OldPin)], "PIN" },
        { [("otppin", "tab\there"), ("current_pin", OldPin)], "PIN" },
    };

    [Theory]
    [MemberData(nameof(BadChanges))]
    public async Task SetPin_MissingWrongOrBadPin_Is400AndNothingChanged((string, string)[] form, string named)
    {
        var (owner, serial, _) = await EnrolGenkeyAsync(OldPin);
        var before = await StoredAsync(serial);

        var answer = await owner.PostFormAsync("/token/setpin", [("serial", serial), .. form]);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(named, answer.ErrorMessage);
        await AssertUnchangedAsync(serial, before);
        Assert.True(Opens(await DownloadAsync(owner, serial), OldPin));
    }

    [Fact]
    public async Task SetPin_AnotherUsersToken_Is404AndNothingChanged()
    {
        var (_, serial, _) = await EnrolGenkeyAsync(OldPin);
        var (stranger, _, _) = await EnrolGenkeyAsync(OldPin);
        var before = await StoredAsync(serial);

        var answer = await stranger.PostFormAsync("/token/setpin", ("serial", serial), ("otppin", NewPin), ("current_pin", OldPin));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        await AssertUnchangedAsync(serial, before);
    }

    [Fact]
    public async Task SetPin_RevokedToken_Is400TokenLocked()
    {
        var (owner, serial, _) = await EnrolGenkeyAsync(OldPin);
        Assert.True((await owner.PostFormAsync("/token/revoke", ("serial", serial))).Ok);
        var before = await StoredAsync(serial);

        var answer = await owner.PostFormAsync("/token/setpin", ("serial", serial), ("otppin", NewPin), ("current_pin", OldPin));

        Assert.Equal((HttpStatusCode.BadRequest, 1007), (answer.Status, answer.ErrorCode));
        await AssertUnchangedAsync(serial, before);
    }

    private async Task AssertUnchangedAsync(string serial, (byte[]? Pkcs12, string? PinHash, Guid Version) before)
    {
        var after = await StoredAsync(serial);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.PinHash, after.PinHash);
        Assert.Equal(before.Pkcs12, after.Pkcs12);
    }

    private static List<string> Pems(string text) =>
        text.Split("-----BEGIN ").Skip(1).Select(block => block[..(block.IndexOf("-----END ", StringComparison.Ordinal))]).ToList();
}
