using Apache.Arrow;
using Apache.Arrow.Types;

namespace PyFlow.PyBridge.Types;

/// <summary>How values of a Python stream travel: the Arrow type, and the C# type a value has in the engine.</summary>
public enum WireKind
{
    Bool, Int32, Int64, Float64, Utf8, Binary, TimestampMicros, Struct, List, Map,

    /// <summary>Arrow date32: days since 1970-01-01, in the record's 64 bits.</summary>
    Date32,

    /// <summary>Arrow time32[ms]: milliseconds since midnight, in the 64 bits.</summary>
    Time32Millis,

    /// <summary>Arrow time64[us]: microseconds since midnight, in the 64 bits.</summary>
    Time64Micros,

    /// <summary>Arrow timestamp[us, tz=UTC]: microseconds since the epoch of an instant, in the 64 bits.</summary>
    TimestampMicrosUtc,

    /// <summary>Arrow decimal128(38, 18): a <see cref="Records.PyDecimal"/> reference.</summary>
    Decimal128,
}

/// <summary>
/// A PyFlink type name (<c>Types.INT()</c> is "INT") and its wire form. The table is the one
/// in docs/ARCHITECTURE.md ("TYPE"); Python's <c>pyflow._protocol.values</c> holds the same.
/// Nested types (ROW, ROW_NAMED, TUPLE: Arrow struct; LIST: list; MAP: map) have
/// <see cref="Children"/>; a struct's field names are <see cref="FieldNames"/>.
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
        ["SQL_DATE"] = WireKind.Date32,
        ["LOCAL_DATE"] = WireKind.Date32,
        ["SQL_TIME"] = WireKind.Time32Millis,
        ["LOCAL_TIME"] = WireKind.Time64Micros,
        ["LOCAL_DATE_TIME"] = WireKind.TimestampMicros,
        ["INSTANT"] = WireKind.TimestampMicrosUtc,
        ["BIG_DEC"] = WireKind.Decimal128,
    };

    /// <summary>The element types of PRIMITIVE_ARRAY (BYTE's travels as BYTES).</summary>
    private static readonly HashSet<string> Primitives = new() { "BOOLEAN", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE" };

    /// <summary>BIG_DEC's precision and scale: Flink's DECIMAL(38, 18).</summary>
    public const int BigDecPrecision = 38, BigDecScale = 18;

    private const int MaxDepth = 64;

    public static readonly PyType Pickled = new("PICKLED_BYTE_ARRAY", WireKind.Binary);

    /// <summary>A struct's fields, a list's element, a map's key and value; empty for flat types.</summary>
    public IReadOnlyList<PyType> Children { get; private init; } = System.Array.Empty<PyType>();

    /// <summary>The Arrow field names of a struct's children (ROW_NAMED's names; f0, f1, ... otherwise).</summary>
    public IReadOnlyList<string> FieldNames { get; private init; } = System.Array.Empty<string>();

    private IArrowType? _arrowType;

    public static PyType FromName(string name) =>
        Known.TryGetValue(name, out var kind)
            ? new PyType(name, kind)
            : throw new ArgumentException($"type {name} is not supported; supported types: {string.Join(", ", Known.Keys)}, ROW, ROW_NAMED, TUPLE, LIST, MAP, PRIMITIVE_ARRAY");

    /// <summary>A ROW of <paramref name="fields"/> (names f0, f1, ...), or a ROW_NAMED when <paramref name="names"/> are given.</summary>
    public static PyType Row(IReadOnlyList<PyType> fields, IReadOnlyList<string>? names = null) =>
        new(names == null ? "ROW" : "ROW_NAMED", WireKind.Struct)
        {
            Children = fields.ToArray(),
            FieldNames = (names ?? fields.Select((_, i) => $"f{i}").ToArray()).ToArray(),
        };

    public static PyType Tuple(IReadOnlyList<PyType> fields) => Row(fields) with { Name = "TUPLE" };

    public static PyType List(PyType element) => new("LIST", WireKind.List) { Children = new[] { element } };

    /// <summary>PyFlink's PRIMITIVE_ARRAY of a primitive other than BYTE: an Arrow list whose elements are never null.</summary>
    public static PyType PrimitiveArray(PyType element) =>
        Primitives.Contains(element.Name)
            ? new("PRIMITIVE_ARRAY", WireKind.List) { Children = new[] { element } }
            : throw new ArgumentException($"type PRIMITIVE_ARRAY: element type {element.Name} is not one of {string.Join(", ", Primitives)}");

    public static PyType Map(PyType key, PyType value) => new("MAP", WireKind.Map) { Children = new[] { key, value } };

    /// <summary>The type of a TYPE spec map (docs/ARCHITECTURE.md, "TYPE"); a bad spec is an <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static PyType FromSpec(IReadOnlyDictionary<object, object?> spec) => FromSpec(spec, 0);

    private static PyType FromSpec(IReadOnlyDictionary<object, object?> spec, int depth)
    {
        if (depth > MaxDepth) throw new ArgumentException($"type nesting is deeper than {MaxDepth}");
        var name = spec.TryGetValue("name", out var n) && n is string s ? s : throw new ArgumentException("a TYPE needs a string 'name'");
        PyType Child(object? c, string what) => c is IReadOnlyDictionary<object, object?> m
            ? FromSpec(m, depth + 1)
            : throw new ArgumentException($"type {name}: '{what}' should be a TYPE map");
        object?[] ListOf(string key) => spec.TryGetValue(key, out var v) && v is object?[] a ? a : throw new ArgumentException($"type {name} needs a list '{key}'");
        switch (name)
        {
            case "ROW" or "TUPLE":
            {
                var fields = ListOf("fields").Select((f, i) => Child(f, $"fields[{i}]")).ToArray();
                return name == "ROW" ? Row(fields) : Tuple(fields);
            }
            case "ROW_NAMED":
            {
                var fields = ListOf("fields").Select((f, i) => Child(f, $"fields[{i}]")).ToArray();
                var names = ListOf("names").Select(x => x as string ?? throw new ArgumentException("type ROW_NAMED: every name must be a string")).ToArray();
                if (names.Length != fields.Length) throw new ArgumentException($"type ROW_NAMED has {names.Length} names for {fields.Length} fields");
                return Row(fields, names);
            }
            case "LIST":
                return List(Child(spec.GetValueOrDefault("element"), "element"));
            case "PRIMITIVE_ARRAY":
                return PrimitiveArray(Child(spec.GetValueOrDefault("element"), "element"));
            case "MAP":
                return Map(Child(spec.GetValueOrDefault("key"), "key"), Child(spec.GetValueOrDefault("value"), "value"));
            default:
                return FromName(name);
        }
    }

    public bool IsPickled => Name == "PICKLED_BYTE_ARRAY";

    public bool IsNested => Kind is WireKind.Struct or WireKind.List or WireKind.Map;

    public IArrowType ArrowType => _arrowType ??= Kind switch
    {
        WireKind.Bool => BooleanType.Default,
        WireKind.Int32 => Int32Type.Default,
        WireKind.Int64 => Int64Type.Default,
        WireKind.Float64 => DoubleType.Default,
        WireKind.Utf8 => StringType.Default,
        WireKind.Binary => BinaryType.Default,
        WireKind.TimestampMicros => new TimestampType(TimeUnit.Microsecond, (string?)null),
        WireKind.TimestampMicrosUtc => new TimestampType(TimeUnit.Microsecond, "UTC"),
        WireKind.Date32 => Date32Type.Default,
        WireKind.Time32Millis => new Time32Type(TimeUnit.Millisecond),
        WireKind.Time64Micros => new Time64Type(TimeUnit.Microsecond),
        WireKind.Decimal128 => new Decimal128Type(BigDecPrecision, BigDecScale),
        WireKind.Struct => new StructType(Children.Select((c, i) => new Field(FieldNames[i], c.ArrowType, true)).ToList()),
        WireKind.List => new ListType(new Field("item", Children[0].ArrowType, true)),
        WireKind.Map => new MapType(new Field("key", Children[0].ArrowType, false), new Field("value", Children[1].ArrowType, true)),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    /// <summary>The msgpack form sent to workers: <c>{"name": N}</c> plus the children of a nested type.</summary>
    public Dictionary<string, object> ToSpec()
    {
        var spec = new Dictionary<string, object> { ["name"] = Name };
        switch (Kind)
        {
            case WireKind.Struct:
                spec["fields"] = Children.Select(c => (object)c.ToSpec()).ToArray();
                if (Name == "ROW_NAMED") spec["names"] = FieldNames.ToArray();
                break;
            case WireKind.List:
                spec["element"] = Children[0].ToSpec();
                break;
            case WireKind.Map:
                spec["key"] = Children[0].ToSpec();
                spec["value"] = Children[1].ToSpec();
                break;
        }
        return spec;
    }

    public bool Equals(PyType? other) =>
        other is not null && Name == other.Name && Kind == other.Kind
        && Children.SequenceEqual(other.Children) && FieldNames.SequenceEqual(other.FieldNames);

    public override int GetHashCode()
    {
        var h = HashCode.Combine(Name, Kind);
        foreach (var c in Children) h = HashCode.Combine(h, c);
        foreach (var f in FieldNames) h = HashCode.Combine(h, f);
        return h;
    }

    public override string ToString() => Kind switch
    {
        WireKind.Struct => $"{Name}<{string.Join(", ", Children.Select((c, i) => $"{FieldNames[i]}: {c}"))}>",
        WireKind.List => $"{Name}<{Children[0]}>",
        WireKind.Map => $"MAP<{Children[0]}, {Children[1]}>",
        _ => Name,
    };
}
