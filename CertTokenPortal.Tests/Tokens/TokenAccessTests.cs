using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;

namespace CertTokenPortal.Tests.Tokens;

/// <summary>The rules pages ask about a TokenView are the very rules the use cases apply to the stored token.</summary>
[Trait("Category", "Unit")]
public sealed class TokenAccessTests
{
    private static readonly CertificateToken AlicesToken = new()
    {
        Serial = "CRT00000A11", OwnerUserName = "alice", OwnerRealm = "default", EnrolmentMode = EnrolmentModes.GenerateKey,
    };

    public static TheoryData<Actor> Actors => new()
    {
        new Actor("admin", "default", PortalRoles.Admin, null),
        new Actor("helen", "default", PortalRoles.Helpdesk, null),
        new Actor("alice", "default", PortalRoles.User, null),
        new Actor("ALICE", "Default", PortalRoles.User, null),
        new Actor("alice", "other", PortalRoles.User, null),
        new Actor("bob", "default", PortalRoles.User, null),
    };

    [Theory]
    [MemberData(nameof(Actors))]
    public void Checks_ViewAndEntity_GiveTheSameAnswer(Actor actor)
    {
        var view = TokenView.From(AlicesToken);

        Assert.Equal(TokenAccess.CheckRevoke(actor, AlicesToken), TokenAccess.CheckRevoke(actor, view));
        Assert.Equal(TokenAccess.CheckDelete(actor, AlicesToken), TokenAccess.CheckDelete(actor, view));
        Assert.Equal(TokenAccess.CheckDownloadPkcs12(actor, AlicesToken), TokenAccess.CheckDownloadPkcs12(actor, view));
        Assert.Equal(TokenAccess.CheckUpdate(actor, AlicesToken), TokenAccess.CheckUpdate(actor, view));
    }

    [Theory]
    [InlineData(PortalRoles.Admin, "admin", true, true, true)]
    [InlineData(PortalRoles.Helpdesk, "helen", true, false, false)]
    [InlineData(PortalRoles.User, "alice", true, false, true)]
    [InlineData(PortalRoles.User, "bob", false, false, false)]
    public void Checks_View_FollowTheRoleTable(string role, string userName, bool revoke, bool delete, bool pkcs12)
    {
        var actor = new Actor(userName, "default", role, null);
        var view = TokenView.From(AlicesToken);

        Assert.Equal(revoke, TokenAccess.CheckRevoke(actor, view) is null);
        Assert.Equal(delete, TokenAccess.CheckDelete(actor, view) is null);
        Assert.Equal(pkcs12, TokenAccess.CheckDownloadPkcs12(actor, view) is null);
    }
}
