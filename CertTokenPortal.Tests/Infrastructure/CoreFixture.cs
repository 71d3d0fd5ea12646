namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>One started <see cref="CoreServices"/> shared by the tests of a class (start-up makes an RSA CA key).</summary>
public sealed class CoreFixture : IAsyncLifetime
{
    public CoreServices Core { get; private set; } = null!;

    public async Task InitializeAsync() => Core = await CoreServices.StartAsync();

    public async Task DisposeAsync() => await Core.DisposeAsync();
}
