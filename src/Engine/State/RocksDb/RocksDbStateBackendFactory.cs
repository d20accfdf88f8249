namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// Keyed state in RocksDB for every keyed operator subtask of a job (Flink's
/// EmbeddedRocksDBStateBackend): set it as <c>JobOptions.StateBackend</c>. Each subtask gets its
/// own database in a fresh directory under <see cref="LocalDirectory"/>, deleted when the
/// subtask's operator is disposed: the local database is scratch space, as in Flink.
/// </summary>
/// <remarks>
/// Each backend has its own block cache and write buffers (<see cref="RocksDbOptions"/>), so the
/// native memory of a job is about their sum times the number of keyed subtasks; Flink instead
/// shares one budget per slot (managed memory), which would be a cache shared by these backends.
/// </remarks>
public sealed class RocksDbStateBackendFactory : IStateBackendFactory
{
    private readonly RocksDbOptions _options;
    private readonly IStateSerializer? _serializer;

    /// <param name="localDirectory">Where subtask databases go; a <c>pyflow-rocksdb</c> folder in the temp directory by default.</param>
    /// <param name="options">Options of each subtask's database.</param>
    /// <param name="serializer">Keys, namespaces and values to bytes; MessagePack by default.</param>
    public RocksDbStateBackendFactory(string? localDirectory = null, RocksDbOptions? options = null, IStateSerializer? serializer = null)
    {
        LocalDirectory = Path.GetFullPath(localDirectory ?? Path.Combine(Path.GetTempPath(), "pyflow-rocksdb"));
        _options = (options ?? new RocksDbOptions()) with { DeleteDirectoryOnDispose = true };
        _options.Validate();
        _serializer = serializer;
    }

    public string LocalDirectory { get; }

    public IKeyedStateBackend<TKey> Create<TKey>(string operatorName, int subtaskIndex, TimeProvider clock) where TKey : notnull
    {
        // Unique per instance, like Flink's job_<id>_op_<name>_uuid_<uuid>: two jobs or two runs never share a database.
        var directory = Path.Combine(LocalDirectory, $"op_{Safe(operatorName)}_{subtaskIndex}_{Guid.NewGuid():N}");
        return new RocksDbKeyedStateBackend<TKey>(directory, clock, _serializer, _options);
    }

    private static string Safe(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').Take(64).ToArray();
        return chars.Length == 0 ? "operator" : new string(chars);
    }
}
