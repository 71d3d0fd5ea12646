namespace CertTokenPortal.Core.Audit;

/// <summary>The action names written to the audit log, in one list so that filters and reports can rely on them.</summary>
public static class AuditActions
{
    public const string Login = "auth.login";
    public const string Logout = "auth.logout";
    public const string LoginThrottled = "auth.throttled";

    public const string TokenEnrol = "token.enrol";
    public const string TokenList = "token.list";
    public const string TokenView = "token.view";
    public const string TokenRevoke = "token.revoke";
    public const string TokenDelete = "token.delete";
    public const string TokenUpdate = "token.update";
    public const string TokenDownloadPkcs12 = "token.pkcs12";
    public const string TokenDownloadCertificate = "token.certificate";
    public const string TokenRenew = "token.renew";
    public const string TokenRekey = "token.rekey";
    public const string TokenRelease = "token.release";
    public const string TokenApprove = "token.approve";
    public const string TokenDeny = "token.deny";
    public const string TokenAttestation = "token.attestation";

    /// <summary>
    /// The actions that only read (lists, page views, reading the log): kept for the record, but they would bury the
    /// changes in "Recent activity", so views can leave them out (<see cref="AuditQuery.ExcludeReads"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> Reads = [TokenList, TokenView, AuditView];

    public const string CaCreate = "ca.create";
    public const string CaImport = "ca.import";
    public const string CaUpdate = "ca.update";
    public const string CaDelete = "ca.delete";
    public const string CaTemplate = "ca.template";
    public const string CaCrlPublish = "ca.crl";

    public const string UserCreate = "user.create";
    public const string UserUpdate = "user.update";
    public const string UserDelete = "user.delete";
    public const string UserPasswordChange = "user.password";
    public const string UserDirectorySync = "user.directory";
    public const string ResolverSet = "resolver.set";
    public const string ResolverDelete = "resolver.delete";
    public const string RealmSet = "realm.set";
    public const string RealmDelete = "realm.delete";

    public const string PolicySet = "policy.set";
    public const string PolicyDelete = "policy.delete";
    public const string AttestationRootAdd = "attestation.root.add";
    public const string AttestationRootDelete = "attestation.root.delete";

    public const string AuditView = "audit.view";

    public const string NotificationSettings = "notification.settings";
    public const string NotificationTemplate = "notification.template";
    public const string NotificationTest = "notification.test";
    public const string NotificationSend = "notification.send";
    public const string NotificationRetry = "notification.retry";

    /// <summary>Every action name above, sorted; read by reflection so that a new constant needs no second list.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditActions)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();
}
