using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// Owner-only files and directories made visible atomically: write under a temporary name,
/// fsync, rename, fsync the directory (so the rename itself survives a crash).
/// </summary>
internal static class DurableFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> and its missing parents, each readable by the owner only.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        // One level at a time: Directory.CreateDirectory(path, mode) gives the mode to the last level only.
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full);
        if (parent != null && !Directory.Exists(parent)) CreatePrivateDirectory(parent);
        Directory.CreateDirectory(full, DirectoryMode);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically and durably, mode 0600. Returns its SHA-256 (hex).</summary>
    public static string WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: false);
        SyncDirectory(Path.GetDirectoryName(path)!);
        return Sha256(bytes);
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>Makes the entries of a directory (new files, renames) durable. A no-op where the OS has no such call.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        // Close-on-exec: a worker started by another thread meanwhile must not inherit it.
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"cannot open directory '{path}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync of directory '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            close(fd);
        }
    }

    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000; // Linux, x86-64 and arm64
    private const int O_CLOEXEC = 0x80000; // Linux

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);
}
