using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Renewal;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Renewal;

/// <summary>Core with an approval CA in front of localCA, shared by the renewal tests of a class.</summary>
public sealed class RenewalFixture : IAsyncLifetime
{
    public const string ApprovalCa = "approvalCA";

    public CoreServices Core { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Core = await CoreServices.StartAsync();
        var created = await Core.InScopeAsync(sp => sp.GetRequiredService<CreateApprovalCaCommand>().ExecuteAsync(TestPki.Admin, ApprovalCa, "localCA"));
        Assert.True(created.IsSuccess, created.Error?.Message);
    }

    public async Task DisposeAsync() => await Core.DisposeAsync();
}

/// <summary>Renewal helpers on Core.</summary>
public static class RenewalSteps
{
    public static Task<Result<RenewalResult>> RenewAsync(this CoreServices core, Actor actor, RenewalRequest request) =>
        core.InScopeAsync(sp => sp.GetRequiredService<RenewTokenCommand>().ExecuteAsync(actor, request));

    public static async Task<List<TokenCertificate>> HistoryAsync(this CoreServices core, string serial)
    {
        await using var db = core.NewDb();
        return await db.TokenCertificates.AsNoTracking().Where(c => c.TokenSerial == serial).OrderBy(c => c.Id).ToListAsync();
    }

    public static async Task<int> LedgerLinesAsync(this CoreServices core, string serial)
    {
        await using var db = core.NewDb();
        return await db.IssuedCertificates.CountAsync(c => c.TokenSerial == serial);
    }

    /// <summary>The public key of a PEM certificate, as openssl prints it.</summary>
    public static string PublicKeyOf(TempDirectory dir, string certificatePem, string name = "cert")
    {
        File.WriteAllText(dir.File($"{name}.pem"), certificatePem);
        return ExternalTool.OpenSsl("x509", "-in", dir.File($"{name}.pem"), "-noout", "-pubkey").StdOut;
    }

    /// <summary>openssl verifies the certificate against the chain the renewal answered with.</summary>
    public static void VerifyWithOpenSsl(TempDirectory dir, string certificatePem, IReadOnlyList<string> chainPem)
    {
        File.WriteAllText(dir.File("leaf.pem"), certificatePem);
        File.WriteAllText(dir.File("chain.pem"), string.Join("\n", chainPem));
        var verified = ExternalTool.OpenSsl("verify", "-CAfile", dir.File("chain.pem"), dir.File("leaf.pem"));
        Assert.Contains("OK", verified.StdOut);
    }
}
