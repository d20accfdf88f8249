using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PyFlow.Host;

/// <summary>
/// Keeps the gateway's frames the only thing on the host's real stdout. The frames get a private
/// copy of fd 1, and fd 1 itself is pointed at stderr, so anything else that writes to stdout (a
/// Python function printing in thread mode, native code) lands on stderr instead of corrupting a frame.
/// </summary>
/// <remarks>
/// The copy is close-on-exec: every process the host starts (Python workers) would otherwise inherit
/// the pipe to the driver, and a user function could write frames on it (a forged FINISHED makes the
/// driver report success with no records).
/// </remarks>
internal static class StdoutGuard
{
    private const int F_DUPFD_CLOEXEC = 1030; // Linux; macOS numbers it 67 (FdupCloexec)

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int cmd, int arg);

    [DllImport("libc", SetLastError = true)]
    private static extern int dup2(int oldFd, int newFd);

    /// <summary>The stream for frames: a private, close-on-exec duplicate of the original stdout.</summary>
    public static Stream TakeStdout()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return Console.OpenStandardOutput();
        var frames = fcntl(1, FdupCloexec, 3);
        if (frames < 0 || dup2(2, 1) < 0)
            throw new IOException($"could not set stdout aside for the gateway frames (errno {Marshal.GetLastPInvokeError()})");
        return new FileStream(new SafeFileHandle(frames, ownsHandle: true), FileAccess.Write, bufferSize: 0);
    }

    private static int FdupCloexec => OperatingSystem.IsMacOS() ? 67 : F_DUPFD_CLOEXEC;
}
