namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// A checkpoint that was found complete, intact and trusted on disk: its directory (and the one
/// holding it) belong to this user and nobody else can write them, its metadata parses, is of this
/// format and carries this user's signature, and every task's state file is there with the size,
/// SHA-256 and signature the metadata says. Restoring unpickles state, so nothing less is read.
/// </summary>
internal sealed class CompletedCheckpoint
{
    private readonly Dictionary<(int Vertex, int Subtask), Dictionary<string, byte[]>> _parts;

    private CompletedCheckpoint(string path, CheckpointMetadata metadata, Dictionary<(int, int), Dictionary<string, byte[]>> parts)
    {
        Path = path;
        Metadata = metadata;
        _parts = parts;
    }

    public string Path { get; }
    public CheckpointMetadata Metadata { get; }
    public long Id => Metadata.CheckpointId;

    /// <summary>Loads and checks the checkpoint at <paramref name="path"/> (a <c>chk-N</c> directory); throws <see cref="CorruptCheckpointException"/> naming what is wrong.</summary>
    public static CompletedCheckpoint Load(string path, CheckpointSigningKey key)
    {
        var metaPath = System.IO.Path.Combine(path, CheckpointLayout.MetadataFile);
        if (!Directory.Exists(path)) throw new CorruptCheckpointException($"checkpoint '{path}' does not exist");
        foreach (var dir in new[] { path, System.IO.Path.GetDirectoryName(path)! })
            if (PrivatePaths.WhyNotPrivateToWrite(dir) is { } reason)
                throw new CorruptCheckpointException($"checkpoint '{path}' is refused: its directory '{dir}' is not private to this user: {reason} (restoring runs code from the checkpoint)");
        if (!File.Exists(metaPath))
            throw new CorruptCheckpointException($"checkpoint '{path}' is incomplete: it has no {CheckpointLayout.MetadataFile} file (written last, so the checkpoint never completed)");
        var metaBytes = File.ReadAllBytes(metaPath);
        var metadata = CheckpointMetadata.Decode(metaBytes, metaPath);
        if (metadata.Format != CheckpointMetadata.CurrentFormat)
            throw new CorruptCheckpointException($"checkpoint '{path}' has format {metadata.Format}; this engine reads format {CheckpointMetadata.CurrentFormat} (format 3 is signed and records the state descriptors that a restore checks): restore it with the PyFlow that wrote it, or start the job without it");
        var files = new List<(PartInfo Part, string File, byte[] Bytes)>();
        foreach (var part in metadata.Parts)
        {
            var file = System.IO.Path.Combine(path, part.File);
            if (!File.Exists(file)) throw new CorruptCheckpointException($"checkpoint '{path}' is incomplete: state file '{part.File}' is missing");
            var bytes = File.ReadAllBytes(file);
            if (bytes.Length != part.Size || DurableFiles.Sha256(bytes) != part.Sha256)
                throw new CorruptCheckpointException($"checkpoint '{path}' is damaged: state file '{part.File}' does not match its checksum ({bytes.Length} bytes, {part.Size} expected)");
            if (!key.Verify(bytes, part.Hmac))
                throw new CorruptCheckpointException($"checkpoint '{path}' is refused: state file '{part.File}' {NotSigned(key)}");
            files.Add((part, file, bytes));
        }
        var sigPath = System.IO.Path.Combine(path, CheckpointLayout.SignatureFile);
        var signature = File.Exists(sigPath) ? System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(sigPath)).Trim() : null;
        if (!key.Verify(metaBytes, signature))
            throw new CorruptCheckpointException($"checkpoint '{path}' is refused: its metadata '{metaPath}' {NotSigned(key)}");
        var parts = new Dictionary<(int, int), Dictionary<string, byte[]>>();
        foreach (var (part, file, bytes) in files)
            parts[(part.Vertex, part.Subtask)] = TaskStateFile.Decode(bytes, $"state file '{file}'");
        return new CompletedCheckpoint(path, metadata, parts);
    }

    private static string NotSigned(CheckpointSigningKey key) =>
        $"does not carry this user's signature (HMAC-SHA256 with the key in '{key.File}'): it was changed after it was written, " +
        "or signed with another key (state.checkpoints.signing-key-file); it is not restored, since restoring runs code from it";

    /// <summary>The state one subtask saved (empty when it saved nothing).</summary>
    public IReadOnlyDictionary<string, byte[]> StateOf(int vertex, int subtask) =>
        _parts.TryGetValue((vertex, subtask), out var s) ? s : new Dictionary<string, byte[]>();

    /// <summary>Refuses to restore a job whose chains differ from the checkpointed one's.</summary>
    public void CheckSameShape(IReadOnlyList<VertexInfo> job)
    {
        var saved = Metadata.Vertices;
        if (saved.Count != job.Count)
            throw new InvalidOperationException($"checkpoint '{Path}' was taken of a job with {saved.Count} chains, this job has {job.Count}: restore it into the same program");
        for (var i = 0; i < saved.Count; i++)
        {
            if (saved[i].Name != job[i].Name)
                throw new InvalidOperationException($"checkpoint '{Path}' does not match this job: chain {i} is '{saved[i].Name}' there and '{job[i].Name}' here; restore it into the same program");
            if (saved[i].Parallelism != job[i].Parallelism)
                throw new InvalidOperationException($"checkpoint '{Path}' ran '{job[i].Name}' at parallelism {saved[i].Parallelism}, this job at {job[i].Parallelism}: rescaling a checkpoint is not supported, set the same parallelism");
        }
    }
}

/// <summary>Names inside a checkpoint directory (format version <see cref="CheckpointMetadata.CurrentFormat"/>).</summary>
internal static class CheckpointLayout
{
    public const string MetadataFile = "_metadata";
    public const string SignatureFile = "_metadata.hmac";
    private const string Prefix = "chk-";

    public static string Completed(string baseDir, long id) => Path.Combine(baseDir, $"{Prefix}{id}");
    public static string InProgress(string baseDir, long id) => Path.Combine(baseDir, $".{Prefix}{id}.inprogress");
    public static string PartFile(int vertex, int subtask) => $"v{vertex}-s{subtask}.state";

    /// <summary>Completed checkpoint directories (by name) of <paramref name="baseDir"/>, newest first.</summary>
    public static List<(long Id, string Path)> ListCompleted(string baseDir)
    {
        var found = new List<(long, string)>();
        if (!Directory.Exists(baseDir)) return found;
        foreach (var dir in Directory.GetDirectories(baseDir))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && long.TryParse(name.AsSpan(Prefix.Length), out var id) && id > 0)
                found.Add((id, dir));
        }
        found.Sort((a, b) => b.Item1.CompareTo(a.Item1));
        return found;
    }

    /// <summary>Highest checkpoint id used in <paramref name="baseDir"/>, complete or not (0 when none).</summary>
    public static long HighestId(string baseDir)
    {
        long max = 0;
        if (!Directory.Exists(baseDir)) return 0;
        foreach (var dir in Directory.GetDirectories(baseDir))
        {
            var name = Path.GetFileName(dir).TrimStart('.');
            if (name.EndsWith(".inprogress", StringComparison.Ordinal)) name = name[..^".inprogress".Length];
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && long.TryParse(name.AsSpan(Prefix.Length), out var id)) max = Math.Max(max, id);
        }
        return max;
    }

    /// <summary>
    /// The checkpoint to start from: <paramref name="path"/> itself when it is a checkpoint
    /// (refused with a clear error when damaged), or else the newest intact checkpoint of the
    /// directory <paramref name="path"/>, skipping (and logging) damaged ones.
    /// </summary>
    public static CompletedCheckpoint Resolve(string path, CheckpointSigningKey key, Action<string> log)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(Path.Combine(full, MetadataFile)) || Path.GetFileName(full).StartsWith(Prefix, StringComparison.Ordinal))
            return CompletedCheckpoint.Load(full, key);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"restore from checkpoint: '{full}' is neither a checkpoint nor a checkpoint directory");
        return NewestIntact(ListCompleted(full).Select(c => c.Path), key, log)
            ?? throw new CorruptCheckpointException($"restore from checkpoint: '{full}' holds no complete, intact checkpoint");
    }

    /// <summary>The first of <paramref name="newestFirst"/> that loads; each refused one is logged with its reason.</summary>
    public static CompletedCheckpoint? NewestIntact(IEnumerable<string> newestFirst, CheckpointSigningKey key, Action<string> log)
    {
        foreach (var dir in newestFirst)
        {
            try { return CompletedCheckpoint.Load(dir, key); }
            catch (CorruptCheckpointException e) { log($"checkpoint refused, trying an older one: {e.Message}"); }
        }
        return null;
    }
}
