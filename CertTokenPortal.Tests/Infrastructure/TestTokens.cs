using CertTokenPortal.Core.Tokens;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>Token rows to write straight into the database, for tests about lists and counts rather than enrolment.</summary>
public static class TestTokens
{
    public static CertificateToken New(string serial, RolloutState state, DateTime? notAfter, bool revoked = false, bool active = true,
        string owner = "someone") => new()
    {
        Serial = serial,
        OwnerUserName = owner,
        OwnerRealm = "default",
        RolloutState = state,
        Revoked = revoked,
        Locked = revoked,
        Active = active && !revoked,
        EnrolmentMode = EnrolmentModes.Request,
        Subject = notAfter is null ? null : $"CN={serial}",
        NotBefore = notAfter?.AddDays(-365),
        NotAfter = notAfter,
        CreatedAt = DateTime.UtcNow,
        UpdatedAt = DateTime.UtcNow,
        CreatedBy = "seed",
        Version = Guid.NewGuid(),
    };
}
