using System.Globalization;
using CertTokenPortal.Core.Work;

namespace CertTokenPortal.Tests.Work;

[Trait("Category", "Unit")]
public sealed class BackgroundThreadPriorityTests
{
    [Fact]
    public void Lower_OnLinux_RaisesOnlyTheCallingThreadsNiceValue()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // nice values are Linux's; elsewhere the managed priority is set
        }
        int before = 0, after = 0;
        var thread = new Thread(() =>
        {
            before = NiceOfThisThread();
            BackgroundThreadPriority.Lower();
            after = NiceOfThisThread();
        });
        thread.Start();
        thread.Join();

        Assert.Equal(before + 10 > 19 ? 19 : before + 10, after);
        Assert.Equal(before, NiceOfThisThread());
    }

    /// <summary>Field 19 of /proc/thread-self/stat (after the parenthesised command name) is the nice value.</summary>
    private static int NiceOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
