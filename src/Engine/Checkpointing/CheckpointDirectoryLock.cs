using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// One job at a time per checkpoint directory: an exclusive <c>flock</c> on <c>_job.lock</c> inside it,
/// held while the job runs. Two jobs in one directory would delete each other's in-progress checkpoints
/// and retain each other's as their own. The OS drops the lock when the process dies, so a killed host
/// never leaves a stale lock behind; the file keeps naming its last holder, which the refusal quotes.
/// </summary>
internal sealed class CheckpointDirectoryLock : IDisposable
{
    public const string FileName = "_job.lock";
    private readonly SafeFileHandle _handle;

    private CheckpointDirectoryLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Takes the lock of <paramref name="directory"/> for <paramref name="holder"/>, or throws naming the job that holds it.</summary>
    public static CheckpointDirectoryLock Acquire(string directory, string holder)
    {
        var path = Path.Combine(directory, FileName);
        if (OperatingSystem.IsWindows())
            return new CheckpointDirectoryLock(File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0x180 /* 0600 */);
        if (fd < 0) throw new IOException($"cannot open the lock file '{path}' of the checkpoint directory (errno {Marshal.GetLastPInvokeError()})");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (flock(fd, LOCK_EX | LOCK_NB) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var current = Holder(handle);
            handle.Dispose();
            if (errno != EWOULDBLOCK) throw new IOException($"cannot lock the checkpoint directory '{directory}' (errno {errno})");
            throw new InvalidOperationException(
                $"the checkpoint directory '{directory}' is in use by another job ({(current.Length > 0 ? current : "holder unknown")}); " +
                "two jobs in one directory would discard each other's checkpoints: give this job its own state.checkpoints.dir, or wait for the other to end");
        }
        var text = Encoding.UTF8.GetBytes($"{holder}, pid {Environment.ProcessId}, since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC\n");
        if (ftruncate(fd, 0) != 0) throw new IOException($"cannot write the lock file '{path}' (errno {Marshal.GetLastPInvokeError()})");
        RandomAccess.Write(handle, text, 0);
        return new CheckpointDirectoryLock(handle);
    }

    private static string Holder(SafeFileHandle handle)
    {
        var buffer = new byte[1024];
        var n = RandomAccess.Read(handle, buffer, 0);
        return Encoding.UTF8.GetString(buffer, 0, n).Trim();
    }

    /// <summary>Releases the lock (closing the file releases the flock).</summary>
    public void Dispose() => _handle.Dispose();

    private const int O_RDWR = 2, O_CREAT = 0x40, O_CLOEXEC = 0x80000; // Linux
    private const int LOCK_EX = 2, LOCK_NB = 4, EWOULDBLOCK = 11;

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int ftruncate(int fd, long length);
}
