using System.Runtime.CompilerServices;

namespace CertTokenPortal.Tests.Infrastructure;

internal static class TestProcessSetup
{
    /// <summary>
    /// This one process hosts many portals at once (every WebApplicationFactory, the browser tests' Kestrel server)
    /// beside tests that block threads on purpose: concurrency tests whose writers wait inside SQLite for its write
    /// lock, and runs of openssl, certtool and pk12util. On CI's two cores the thread pool starts with two threads and
    /// adds more only about twice a second, so a burst of blocked threads could stall an unrelated browser test's
    /// server for many seconds. A larger floor keeps the servers answering; it costs nothing until threads are needed.
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolFloor()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
