using Apache.Arrow;
using Apache.Arrow.Types;

namespace PyFlow.PyBridge.Types;

/// <summary>How values of a Python stream travel: the Arrow type, and the C# type a value has in the engine.</summary>
public enum WireKind { Bool, Int32, Int64, Float64, Utf8, Binary, TimestampMicros }

/// <summary>
/// A PyFlink type name (<c>Types.INT()</c> is "INT") and its wire form. The table is the one
/// in docs/ARCHITECTURE.md ("TYPE"); Python's <c>pyflow._protocol.values</c> holds the same.
/// </summary>
public sealed record PyType(string Name, WireKind Kind)
{
    private static readonly Dictionary<string, WireKind> Known = new()
    {
        ["BOOLEAN"] = WireKind.Bool,
        ["BYTE"] = WireKind.Int32,
        ["SHORT"] = WireKind.Int32,
        ["INT"] = WireKind.Int32,
        ["LONG"] = WireKind.Int64,
        ["BIG_INT"] = WireKind.Int64,
        ["FLOAT"] = WireKind.Float64,
        ["DOUBLE"] = WireKind.Float64,
        ["STRING"] = WireKind.Utf8,
        ["BYTES"] = WireKind.Binary,
        ["SQL_TIMESTAMP"] = WireKind.TimestampMicros,
        ["PICKLED_BYTE_ARRAY"] = WireKind.Binary,
    };

    public static readonly PyType Pickled = new("PICKLED_BYTE_ARRAY", WireKind.Binary);

    public static PyType FromName(string name) =>
        Known.TryGetValue(name, out var kind)
            ? new PyType(name, kind)
            : throw new ArgumentException($"type {name} is not supported yet; supported types: {string.Join(", ", Known.Keys)}");

    public bool IsPickled => Name == "PICKLED_BYTE_ARRAY";

    public IArrowType ArrowType => Kind switch
    {
        WireKind.Bool => BooleanType.Default,
        WireKind.Int32 => Int32Type.Default,
        WireKind.Int64 => Int64Type.Default,
        WireKind.Float64 => DoubleType.Default,
        WireKind.Utf8 => StringType.Default,
        WireKind.Binary => BinaryType.Default,
        WireKind.TimestampMicros => new TimestampType(TimeUnit.Microsecond, (string?)null),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    /// <summary>The msgpack form sent to workers: <c>{"name": N}</c>.</summary>
    public Dictionary<string, object> ToSpec() => new() { ["name"] = Name };
}
