using System.Runtime.InteropServices;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// Checks that a file or directory belongs to this user and that nobody else can change it. Restoring a
/// checkpoint runs pickled code, so whoever can write a checkpoint (or the key that signs it) can run
/// code as the restoring user: those paths must be this user's alone.
/// </summary>
internal static class PrivatePaths
{
    private const UnixFileMode GroupOrOthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode GroupOrOthersAny = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                                  | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Null when <paramref name="path"/> is owned by this user and not writable by group or others; else why not.</summary>
    public static string? WhyNotPrivateToWrite(string path) => Check(path, GroupOrOthersWrite, "writable");

    /// <summary>Null when <paramref name="path"/> is owned by this user and no one else has any access; else why not.</summary>
    public static string? WhyNotPrivate(string path) => Check(path, GroupOrOthersAny, "readable or writable");

    private static string? Check(string path, UnixFileMode forbidden, string what)
    {
        if (OperatingSystem.IsWindows()) return null; // ACLs, not modes: the directory's own permissions apply
        var mode = File.GetUnixFileMode(path);
        if ((mode & forbidden) != 0)
            return $"it is {what} by group or others (mode {Octal(mode)}); make it private: chmod {(forbidden == GroupOrOthersAny ? "600" : "go-w")} '{path}'";
        if (OperatingSystem.IsLinux())
        {
            var owner = OwnerOf(path);
            var me = geteuid();
            if (owner != me) return $"it is owned by uid {owner}, not by this user (uid {me}); only the user's own files are trusted";
        }
        return null;
    }

    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xfff, 8);

    /// <summary>The owner's uid, by statx (its layout is the same on every Linux architecture, unlike struct stat's).</summary>
    private static uint OwnerOf(string path)
    {
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxUid, buffer) != 0)
            throw new IOException($"cannot read the owner of '{path}' (errno {Marshal.GetLastPInvokeError()})");
        return BitConverter.ToUInt32(buffer, 20); // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc")]
    private static extern uint geteuid();
}
