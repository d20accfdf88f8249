using System.Runtime.InteropServices;

namespace PyFlow.PyBridge.Workers;

/// <summary>
/// Kills a worker's process group in one signal. A worker makes itself a group leader at start
/// (<c>pyflow/worker/host_death.py</c>), so the group is the worker and what it started. This replaces
/// <c>Process.Kill(entireProcessTree: true)</c>, which stops every process with SIGSTOP before killing it:
/// a host that died in between left workers stopped forever.
/// </summary>
internal static class ProcessGroup
{
    private const int SigKill = 9;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>SIGKILL to the group led by <paramref name="leader"/> and to the leader itself (which may not have
    /// made its group yet). A group already gone is no error: there is nothing left to kill.</summary>
    public static void KillGroupOf(System.Diagnostics.Process leader)
    {
        if (OperatingSystem.IsWindows())
        {
            leader.Kill(entireProcessTree: true);
            return;
        }
        kill(-leader.Id, SigKill);
        try { leader.Kill(); }
        catch (InvalidOperationException) { } // it exited meanwhile
    }
}
