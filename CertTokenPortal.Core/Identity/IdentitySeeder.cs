using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Startup;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Identity;

/// <summary>Seeds the three roles and, on first start, the first admin.</summary>
internal sealed partial class IdentitySeeder(
    RoleManager<IdentityRole> roles,
    UserManager<PortalUser> users,
    IOptions<AdminOptions> adminOptions,
    IOptions<PortalOptions> portalOptions,
    TimeProvider clock,
    ILogger<IdentitySeeder> logger) : IStartupTask
{
    public int Order => 10;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                ThrowOnFailure(await roles.CreateAsync(new IdentityRole(role)), $"The role '{role}' cannot be created");
            }
        }

        var admin = adminOptions.Value;
        if (await users.FindByNameAsync(admin.UserName) is not null)
        {
            return;
        }

        var generated = string.IsNullOrEmpty(admin.Password);
        var password = generated ? PasswordGenerator.NewLoginPassword() : admin.Password!;
        var user = new PortalUser
        {
            UserName = admin.UserName,
            Email = string.IsNullOrWhiteSpace(admin.Email) ? null : admin.Email.Trim(),
            Realm = portalOptions.Value.DefaultRealm,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            EmailConfirmed = true,
        };

        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded && created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            return; // another portal instance starting at the same moment created it first
        }
        if (!created.Succeeded)
        {
            var why = string.Join(" ", created.Errors.Select(e => e.Description));
            throw new PortalStartupException(generated
                ? $"The first admin '{admin.UserName}' cannot be created: {why}"
                : $"Portal:Admin:Password is refused by the password rules: {why} Choose a stronger password.");
        }
        ThrowOnFailure(await users.AddToRoleAsync(user, PortalRoles.Admin), $"The first admin '{admin.UserName}' cannot be made an admin");
        // Identity renews the stamp when the password is changed or reset: the first-run checklist compares against this one.
        ThrowOnFailure(await users.SetAuthenticationTokenAsync(user, Dashboard.FirstRunMarks.Provider, Dashboard.FirstRunMarks.SeededSecurityStamp,
            await users.GetSecurityStampAsync(user)), $"The first admin '{admin.UserName}' cannot be marked as seeded");

        if (generated)
        {
            LogGeneratedPassword(logger, admin.UserName, password);
        }
        else
        {
            LogConfiguredAdmin(logger, admin.UserName);
        }
    }

    private static void ThrowOnFailure(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new PortalStartupException($"{what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    // The one place a password is ever logged: a password nobody else knows, written once so the operator can log in.
    [LoggerMessage(Level = LogLevel.Warning, Message =
        "FIRST ADMIN CREATED: user name '{UserName}', generated password '{Password}'. " +
        "This password is shown only this once; log in and change it (or set Portal:Admin:Password before the first start).")]
    private static partial void LogGeneratedPassword(ILogger logger, string userName, string password);

    [LoggerMessage(Level = LogLevel.Information, Message = "First admin '{UserName}' created with the password from Portal:Admin:Password.")]
    private static partial void LogConfiguredAdmin(ILogger logger, string userName);
}
