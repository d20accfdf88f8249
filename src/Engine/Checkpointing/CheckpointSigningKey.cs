using System.Security.Cryptography;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// The per-user secret that signs checkpoints (HMAC-SHA256). Restoring a checkpoint unpickles its state,
/// which can run any code, so a checkpoint is restored only if it was signed with this key: a checksum
/// alone can be recomputed by whoever changes a file. The key file is created on first use (32 random
/// bytes, mode 0600, in a directory created 0700) and refused when anyone but its owner can read it.
/// </summary>
public sealed class CheckpointSigningKey
{
    private const int KeyBytes = 32;
    private readonly byte[] _key;

    private CheckpointSigningKey(string file, byte[] key)
    {
        File = file;
        _key = key;
    }

    /// <summary>The key file, named in every refusal.</summary>
    public string File { get; }

    /// <summary>
    /// The default key file: <c>pyflow/checkpoint-signing.key</c> in the user's configuration directory
    /// (<c>~/.config</c> on Linux), so every job of one user signs and verifies with the same key.
    /// </summary>
    /// <exception cref="InvalidOperationException">the user has no configuration directory (no home)</exception>
    public static string DefaultFile
    {
        get
        {
            var config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(config) || !Path.IsPathRooted(config))
                throw new InvalidOperationException("this user has no home directory for the checkpoint signing key; set state.checkpoints.signing-key-file (CheckpointConfig.SigningKeyFile) to a private path");
            return Path.Combine(config, "pyflow", "checkpoint-signing.key");
        }
    }

    /// <summary>Reads the key at <paramref name="file"/>, creating it (and its directory) when missing.</summary>
    /// <exception cref="InvalidOperationException">the file or its directory is not private to this user, or the file is not a key</exception>
    public static CheckpointSigningKey Open(string file)
    {
        file = Path.GetFullPath(file);
        var directory = Path.GetDirectoryName(file)!;
        if (!Directory.Exists(directory)) DurableFiles.CreatePrivateDirectory(directory);
        if (PrivatePaths.WhyNotPrivateToWrite(directory) is { } dirReason)
            throw new InvalidOperationException($"the directory of the checkpoint signing key file '{file}' is refused: {dirReason}");
        if (!System.IO.File.Exists(file)) Create(file);
        if (PrivatePaths.WhyNotPrivate(file) is { } reason)
            throw new InvalidOperationException($"the checkpoint signing key file '{file}' is refused: {reason}");
        var key = System.IO.File.ReadAllBytes(file);
        if (key.Length != KeyBytes)
            throw new InvalidOperationException($"the checkpoint signing key file '{file}' holds {key.Length} bytes, not a {KeyBytes}-byte key; delete it to have a new one made (checkpoints signed with it can then no longer be restored)");
        return new CheckpointSigningKey(file, key);
    }

    private static void Create(string file)
    {
        var temp = $"{file}.{Environment.ProcessId}.tmp";
        DurableFiles.WriteAtomically(temp, RandomNumberGenerator.GetBytes(KeyBytes));
        try
        {
            System.IO.File.Move(temp, file, overwrite: false);
        }
        catch (IOException) when (System.IO.File.Exists(file))
        {
            System.IO.File.Delete(temp); // another job made the key at the same moment: use that one
        }
    }

    /// <summary>The HMAC-SHA256 of <paramref name="bytes"/>, lower-case hex.</summary>
    public string Sign(ReadOnlySpan<byte> bytes) => Convert.ToHexString(HMACSHA256.HashData(_key, bytes)).ToLowerInvariant();

    /// <summary>Whether <paramref name="signature"/> is this key's signature of <paramref name="bytes"/> (compared in constant time).</summary>
    public bool Verify(ReadOnlySpan<byte> bytes, string? signature)
    {
        if (signature == null) return false;
        var expected = System.Text.Encoding.ASCII.GetBytes(Sign(bytes));
        var given = System.Text.Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
