namespace CertTokenPortal.Core.Tokens;

/// <summary>
/// One row per token owner, updated at the start of every enrolment transaction for that owner. The update takes
/// the row's write lock, so concurrent enrolments for one owner run their quota check one after the other — in
/// the database, where several portal instances meet — while enrolments for different owners do not wait.
/// </summary>
public class TokenOwnerLock
{
    public long Id { get; set; }
    public string OwnerUserName { get; set; } = "";
    public string OwnerRealm { get; set; } = "";
    /// <summary>How many enrolments have passed the lock; the increment is what takes it.</summary>
    public long Enrolments { get; set; }
}
