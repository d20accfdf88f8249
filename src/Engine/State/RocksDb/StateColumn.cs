using RocksDbSharp;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// The column family of one state. State handles hold this, not the RocksDB handle, because
/// Restore drops and recreates every column family: a handle taken before a restore keeps
/// working on the restored state (as on the heap backend).
/// </summary>
/// <remarks>
/// One column family per state, as in Flink, rather than a state-id prefix in one keyspace:
/// a state's keys are scanned (Keys, snapshots) without reading other states, each state could
/// get its own options or compaction filter, and a dropped state is one DropColumnFamily. The
/// cost, a memtable per state, is bounded for all states together by
/// <see cref="RocksDbOptions.TotalWriteBufferBytes"/>.
/// </remarks>
internal sealed class StateColumn
{
    /// <summary>Column family names carry a prefix so a state may be called "default" (RocksDB's own family).</summary>
    private const string Prefix = "state:";

    public StateColumn(string stateName, ColumnFamilyHandle handle)
    {
        StateName = stateName;
        Handle = handle;
    }

    public string StateName { get; }

    public ColumnFamilyHandle Handle { get; set; }

    public string FamilyName => FamilyNameOf(StateName);

    public static string FamilyNameOf(string stateName) => Prefix + stateName;

    public static bool TryStateNameOf(string familyName, out string stateName)
    {
        stateName = familyName.StartsWith(Prefix, StringComparison.Ordinal) ? familyName[Prefix.Length..] : "";
        return stateName.Length > 0;
    }
}
