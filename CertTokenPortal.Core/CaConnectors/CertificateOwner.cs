namespace CertTokenPortal.Core.CaConnectors;

/// <summary>The owner of a token, with the attributes a template may copy into the subject.</summary>
public sealed record CertificateOwner(string UserName, string Realm, string? Email);
