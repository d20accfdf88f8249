namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// Keyed state in RocksDB for every keyed operator subtask of a job (Flink's
/// EmbeddedRocksDBStateBackend): set it as <c>JobOptions.StateBackend</c>. Each job gets its own
/// directory, mode 0700 (a private temporary one, or one under <see cref="LocalDirectory"/>, whose
/// missing parents are created 0700 too), deleted when the job ends however it ends; each subtask
/// gets its own database in it, deleted when the subtask's operator is disposed: the local database
/// is scratch space, as in Flink, and nobody else's to read.
/// </summary>
/// <remarks>
/// Each backend has its own block cache and write buffers (<see cref="RocksDbOptions"/>), so the
/// native memory of a job is about their sum times the number of keyed subtasks; Flink instead
/// shares one budget per slot (managed memory), which would be a cache shared by these backends.
/// </remarks>
public sealed class RocksDbStateBackendFactory : IStateBackendFactory, IJobScopedStateBackend
{
    private readonly RocksDbOptions _options;
    private readonly IStateSerializer? _serializer;
    private readonly object _lock = new();
    private string? _jobDirectory; // the running job's; null between jobs

    /// <param name="localDirectory">Where job directories go (Flink's <c>state.backend.rocksdb.localdir</c>); null: a private temporary directory per job.</param>
    /// <param name="options">Options of each subtask's database.</param>
    /// <param name="serializer">Keys, namespaces and values to bytes; MessagePack by default.</param>
    public RocksDbStateBackendFactory(string? localDirectory = null, RocksDbOptions? options = null, IStateSerializer? serializer = null)
    {
        LocalDirectory = localDirectory == null ? null : Path.GetFullPath(localDirectory);
        _options = (options ?? new RocksDbOptions()) with { DeleteDirectoryOnDispose = true };
        _options.Validate();
        _serializer = serializer;
    }

    /// <summary>The configured parent of job directories; null: each job gets a private temporary directory.</summary>
    public string? LocalDirectory { get; }

    /// <summary>Makes the job's directory (mode 0700); disposing the result deletes it with everything in it.</summary>
    public IDisposable BeginJob()
    {
        lock (_lock)
        {
            if (_jobDirectory != null)
                throw new InvalidOperationException($"this RocksDB state backend already serves a running job (in '{_jobDirectory}'); give each job its own RocksDbStateBackendFactory");
            _jobDirectory = MakeJobDirectory();
            return new JobScope(this, _jobDirectory);
        }
    }

    private string MakeJobDirectory()
    {
        if (LocalDirectory == null) return Directory.CreateTempSubdirectory("pyflow-rocksdb-").FullName; // mkdtemp: 0700
        CreatePrivate(LocalDirectory);
        var job = Path.Combine(LocalDirectory, $"job_{Guid.NewGuid():N}");
        CreatePrivate(job);
        return job;
    }

    internal static void CreatePrivate(string path) => Checkpointing.DurableFiles.CreatePrivateDirectory(path);

    public IKeyedStateBackend<TKey> Create<TKey>(string operatorName, int subtaskIndex, TimeProvider clock) where TKey : notnull
    {
        string job;
        lock (_lock)
            job = _jobDirectory ?? throw new InvalidOperationException("a RocksDB state backend is made for a running job: call BeginJob first (JobExecutor does)");
        // Unique per instance, like Flink's job_<id>_op_<name>_uuid_<uuid>: two runs never share a database.
        var directory = Path.Combine(job, $"op_{Safe(operatorName)}_{subtaskIndex}_{Guid.NewGuid():N}");
        return new RocksDbKeyedStateBackend<TKey>(directory, clock, _serializer, _options);
    }

    private static string Safe(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').Take(64).ToArray();
        return chars.Length == 0 ? "operator" : new string(chars);
    }

    private sealed class JobScope(RocksDbStateBackendFactory factory, string directory) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            lock (factory._lock) factory._jobDirectory = null;
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
