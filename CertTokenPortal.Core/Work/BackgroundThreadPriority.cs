using System.Runtime.InteropServices;

namespace CertTokenPortal.Core.Work;

/// <summary>
/// Lowers the scheduling priority of the calling thread, for the long key generations of the work queue: with every
/// core busy generating RSA-4096 keys, the threads that answer requests (lists, logins, CRLs) must still get a core at
/// once. .NET ignores <see cref="Thread.Priority"/> on Linux, so there the thread's nice value is raised directly
/// (always allowed, unlike lowering it); elsewhere the managed priority is set.
/// </summary>
internal static class BackgroundThreadPriority
{
    /// <summary>The nice value of key generation threads on Linux (0 is normal, 19 the lowest priority).</summary>
    private const int Nice = 10;

    public static void Lower()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // PRIO_PROCESS with a thread id sets that thread's nice value only (Linux threads are tasks).
                _ = SetPriority(0, GetTid(), Nice);
            }
            else
            {
                Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException)
        {
            // A platform without these calls keeps normal priority: slower answers under load, nothing worse.
        }
    }

    // DllImport rather than LibraryImport: two calls with int arguments need no marshalling, nor unsafe code.
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
