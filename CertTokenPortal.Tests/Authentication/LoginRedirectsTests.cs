using CertTokenPortal.Authentication;

namespace CertTokenPortal.Tests.Authentication;

[Trait("Category", "Unit")]
public sealed class LoginRedirectsTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/tokens")]
    [InlineData("/tokens/CRT0001A2B3?tab=details")]
    [InlineData("/users?search=a%20b")]
    public void SafeReturnUrl_LocalPath_IsKept(string url) => Assert.Equal(url, LoginRedirects.SafeReturnUrl(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("/%2F/evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/%5C%5Cevil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("/a\\b")]
    [InlineData("/ /evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("/\u0000")]
    [InlineData("/\ud800")]
    public void SafeReturnUrl_NotAPlainLocalPath_FallsBackToTheStartPage(string? url) =>
        Assert.Equal("/", LoginRedirects.SafeReturnUrl(url));
}
