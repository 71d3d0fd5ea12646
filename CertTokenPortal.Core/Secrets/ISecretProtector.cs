namespace CertTokenPortal.Core.Secrets;

/// <summary>
/// Encrypts secrets at rest (CA keys, PKCS#12 files, signing keys). Each use names a purpose, so a blob protected
/// for one purpose cannot be unprotected for another.
/// </summary>
public interface ISecretProtector
{
    /// <summary>Encrypts and authenticates <paramref name="plaintext"/> for <paramref name="purpose"/>.</summary>
    byte[] Protect(string purpose, ReadOnlySpan<byte> plaintext);

    /// <summary>Decrypts a blob made by <see cref="Protect"/> for the same purpose; throws if it was tampered with.</summary>
    byte[] Unprotect(string purpose, byte[] protectedData);
}

/// <summary>The purpose strings in use, in one place so that none is misspelt.</summary>
public static class SecretPurposes
{
    public const string CaPrivateKey = "CertTokenPortal.CaPrivateKey.v1";
    public const string TokenPkcs12 = "CertTokenPortal.TokenPkcs12.v1";
    public const string ApplicationSecret = "CertTokenPortal.ApplicationSecret.v1";
    public const string ResolverBindPassword = "CertTokenPortal.ResolverBindPassword.v1";
}
