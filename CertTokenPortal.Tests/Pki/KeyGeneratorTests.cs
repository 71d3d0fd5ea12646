using System.Security.Cryptography;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Tests.Pki;

[Trait("Category", "Unit")]
public sealed class KeyGeneratorTests
{
    [Theory]
    [InlineData(2048)]
    [InlineData(3072)]
    [InlineData(4096)]
    public void Generate_RsaSpec_KeyOfThatSizeThatSigns(int bits)
    {
        using var key = Assert.IsAssignableFrom<RSA>(new KeyGenerator().Generate(KeySpec.Rsa(bits)));

        Assert.Equal(bits, key.KeySize);
        Assert.Equal(bits / 8, key.ExportParameters(false).Modulus!.Length);
        var signature = key.SignData("x"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(key.VerifyData("x"u8.ToArray(), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Theory]
    [InlineData("P-256", 256)]
    [InlineData("P-384", 384)]
    public void Generate_EcSpec_KeyOnThatCurve(string curve, int bits)
    {
        using var key = Assert.IsAssignableFrom<ECDsa>(new KeyGenerator().Generate(KeySpec.Ec(curve)));

        Assert.Equal(bits, key.KeySize);
    }

    [Fact]
    public void Generate_TwoKeys_Differ()
    {
        using var a = (RSA)new KeyGenerator().Generate(KeySpec.Rsa(2048));
        using var b = (RSA)new KeyGenerator().Generate(KeySpec.Rsa(2048));

        Assert.NotEqual(a.ExportParameters(false).Modulus, b.ExportParameters(false).Modulus);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2047)]
    public void Generate_RsaBelow2048_Throws(int bits) =>
        Assert.Throws<ArgumentException>(() => new KeyGenerator().Generate(KeySpec.Rsa(bits)));

    [Fact]
    public void Generate_UnofferedCurve_Throws() =>
        Assert.Throws<ArgumentException>(() => new KeyGenerator().Generate(KeySpec.Ec("P-521")));
}
