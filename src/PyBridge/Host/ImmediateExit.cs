using System.Runtime.InteropServices;

namespace PyFlow.Host;

/// <summary>Ends the process without running exit handlers (<c>_exit(2)</c>): for when one of them cannot finish.</summary>
internal static class ImmediateExit
{
    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);

    public static void Now(int status) => Exit(status);
}
