using Microsoft.AspNetCore.DataProtection;

namespace CertTokenPortal.Core.Secrets;

/// <summary><see cref="ISecretProtector"/> on ASP.NET Core Data Protection (authenticated encryption, rotating key ring).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    public byte[] Protect(string purpose, ReadOnlySpan<byte> plaintext) =>
        provider.CreateProtector(purpose).Protect(plaintext.ToArray());

    public byte[] Unprotect(string purpose, byte[] protectedData) =>
        provider.CreateProtector(purpose).Unprotect(protectedData);
}
