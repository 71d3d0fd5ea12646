namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>How long tests wait for something asynchronous (a render, a background service) before failing.</summary>
public static class TestTimeouts
{
    /// <summary>
    /// The one wait of bUnit's <c>WaitForAssertion</c>/<c>WaitForState</c> and of polling helpers. Generous, because
    /// up to eight engineers share two cores; a passing wait returns at once, so only a failure waits this long.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
}
