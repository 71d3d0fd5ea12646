using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CertTokenPortal.Tests.Components.Shared;

[Trait("Category", "Component")]
public sealed class PortalErrorSnackbarTests : PortalComponentTest
{
    [Theory]
    [InlineData(ErrorKind.Validation, Severity.Warning)]
    [InlineData(ErrorKind.Conflict, Severity.Warning)]
    [InlineData(ErrorKind.NotFound, Severity.Warning)]
    [InlineData(ErrorKind.TooLarge, Severity.Warning)]
    [InlineData(ErrorKind.Forbidden, Severity.Error)]
    [InlineData(ErrorKind.Unauthenticated, Severity.Error)]
    [InlineData(ErrorKind.Unavailable, Severity.Error)]
    public void ShowError_EachKind_ShowsMessageWithItsSeverity(ErrorKind kind, Severity expected)
    {
        var snackbar = Context.Services.GetRequiredService<ISnackbar>();

        snackbar.ShowError(new PortalError(kind, "The message for a person."));

        var shown = Assert.Single(snackbar.ShownSnackbars);
        Assert.Equal("The message for a person.", shown.Message);
        Assert.Equal(expected, shown.Severity);
    }

    [Fact]
    public void SeverityOf_EveryKind_HasAWarningOrErrorSeverity()
    {
        Assert.All(Enum.GetValues<ErrorKind>(), k => Assert.Contains(PortalErrorSnackbar.SeverityOf(k), new[] { Severity.Warning, Severity.Error }));
    }

    [Fact]
    public void ShowOutcome_Success_ShowsSuccessMessageAndReturnsTrue()
    {
        var snackbar = Context.Services.GetRequiredService<ISnackbar>();

        var ok = snackbar.ShowOutcome(Result<int>.Success(42), v => $"Got {v}.");

        Assert.True(ok);
        var shown = Assert.Single(snackbar.ShownSnackbars);
        Assert.Equal(("Got 42.", Severity.Success), (shown.Message, shown.Severity));
    }

    [Fact]
    public void ShowOutcome_Failure_ShowsErrorMessageAndReturnsFalse()
    {
        var snackbar = Context.Services.GetRequiredService<ISnackbar>();

        var ok = snackbar.ShowOutcome(Result<int>.Failure(PortalError.Conflict("Already revoked.")), v => $"Got {v}.");

        Assert.False(ok);
        var shown = Assert.Single(snackbar.ShownSnackbars);
        Assert.Equal(("Already revoked.", Severity.Warning), (shown.Message, shown.Severity));
    }
}
