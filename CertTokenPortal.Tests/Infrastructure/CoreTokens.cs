using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>Arranges users and tokens through the real Core use cases, for tests of the pages that show them.</summary>
public static class CoreTokens
{
    /// <summary>Creates <paramref name="name"/> with <see cref="PortalUsers.Password"/>; fails the test if refused.</summary>
    public static Task CreateUserAsync(this CoreServices core, string name, string role = PortalRoles.User, string? realm = null) =>
        PortalUsers.CreateAsync(core.Services, name, role, realm);

    /// <summary>
    /// Enrols a CSR token for <paramref name="owner"/> at the default CA, as the helpdesk would, under the <c>server</c>
    /// template (names from the request), so that each token shows its own <paramref name="commonName"/>.
    /// </summary>
    public static async Task<TokenView> EnrolCsrAsync(this CoreServices core, string owner, string commonName, string? description = null)
    {
        var result = await core.EnrolAsync(new EnrolmentRequest
        {
            UserName = owner, CaName = "localCA", TemplateName = "server", Csr = TestCsrs.Rsa(commonName, $"{commonName}.example.test"),
            Description = description,
        });
        return result.Token;
    }

    public static async Task<EnrolmentResult> EnrolAsync(this CoreServices core, EnrolmentRequest request, Actor? actor = null)
    {
        var result = await core.InScopeAsync(sp => sp.GetRequiredService<EnrolTokenCommand>().ExecuteAsync(actor ?? TestPki.Helpdesk, request));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    public static async Task RevokeAsync(this CoreServices core, string serial, string reason = "superseded")
    {
        var result = await core.InScopeAsync(sp => sp.GetRequiredService<RevokeTokenCommand>().ExecuteAsync(TestPki.Admin, serial, reason));
        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    public static async Task<CertificateToken?> FindTokenAsync(this CoreServices core, string serial)
    {
        await using var db = core.NewDb();
        return await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Serial == serial);
    }

    public static async Task<List<CertificateToken>> TokensAsync(this CoreServices core)
    {
        await using var db = core.NewDb();
        return await db.Tokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync();
    }

    /// <summary>Moves a token's expiry, to show the expiry chip's colours without waiting for time to pass.</summary>
    public static async Task SetNotAfterAsync(this CoreServices core, string serial, DateTime notAfter)
    {
        await using var db = core.NewDb();
        await db.Tokens.Where(t => t.Serial == serial).ExecuteUpdateAsync(s => s.SetProperty(t => t.NotAfter, notAfter));
    }
}
