using Apache.Arrow;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Tests;

/// <summary>
/// Nested types (ROW, LIST, MAP) through <see cref="ColumnCodec"/>: round trips in C#, and the
/// nested fixture of tests/python/arrow_fixture_tool.py read and written by both languages.
/// </summary>
public class NestedArrowTests
{
    private static readonly string Tool = Path.Combine(Repo.Root, "tests", "python", "arrow_fixture_tool.py");

    private static readonly PyType Int = PyType.FromName("INT"), Long = PyType.FromName("LONG"), Str = PyType.FromName("STRING"),
        Dbl = PyType.FromName("DOUBLE"), Bool = PyType.FromName("BOOLEAN");

    private static readonly (string Name, PyType Type)[] Columns =
    {
        ("row", PyType.Row(new[] { Int, Str }, new[] { "a", "b" })),
        ("list", PyType.List(Long)),
        ("map", PyType.Map(Str, Dbl)),
        ("deep", PyType.List(PyType.Row(new[] { Bool, PyType.List(Str) }, new[] { "x", "y" }))),
    };

    private static Dictionary<object, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => (object)p.Key, p => p.Value);

    /// <summary>The rows of arrow_fixture_tool.NESTED_ROWS, as <see cref="PyRecord.ToObject"/> gives them.</summary>
    private static readonly object?[][] NestedRows =
    {
        new object?[] { new object?[] { 1, "x" }, new object?[] { 1L, 2L, 3L }, Map(("k", 1.5)),
            new object?[] { new object?[] { true, new object?[] { "p" } }, null } },
        new object?[] { null, null, null, null },
        new object?[] { new object?[] { null, null }, System.Array.Empty<object?>(), Map(), System.Array.Empty<object?>() },
        new object?[] { new object?[] { -5, "\u00e9" }, new object?[] { null, -1L }, Map(("a", null), ("b", -2.0)),
            new object?[] { new object?[] { null, null }, new object?[] { false, System.Array.Empty<object?>() } } },
    };

    private static RecordBatch Fixture()
    {
        var arrays = Columns.Select((c, i) => ColumnCodec.Build(c.Type, NestedRows.Select(r => PyRecord.FromObject(r[i], c.Type)).ToArray())).ToList();
        return new RecordBatch(ArrowIpc.Schema(Columns.Select(c => (c.Name, c.Type.ArrowType)).ToArray()), arrays, NestedRows.Length);
    }

    private static void AssertFixture(RecordBatch batch)
    {
        Assert.That(batch.Length, Is.EqualTo(NestedRows.Length));
        for (var c = 0; c < Columns.Length; c++)
        {
            var got = new PyRecord[NestedRows.Length];
            ColumnCodec.Read(Columns[c].Type, ArrowIpc.Column(batch, Columns[c].Name, "nested fixture"), got);
            for (var r = 0; r < NestedRows.Length; r++)
                Assert.That(got[r].ToObject(Columns[c].Type), Is.EqualTo(NestedRows[r][c]), $"column {Columns[c].Name}, row {r}");
        }
    }

    [Test]
    public void NestedColumnsRoundTripInCSharp() => AssertFixture(ArrowIpc.ReadSingle(ArrowIpc.Write(Fixture()), "round trip"));

    [Test]
    public void PythonReadsNestedColumnsCSharpWrites()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pyflow-cs-nested-{Guid.NewGuid():N}.arrow");
        File.WriteAllBytes(file, ArrowIpc.Write(Fixture()));
        try
        {
            var (code, output) = Repo.RunPython(Tool, "check-nested", file);
            Assert.That(code, Is.EqualTo(0), output);
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void CSharpReadsNestedColumnsPythonWrites()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pyflow-py-nested-{Guid.NewGuid():N}.arrow");
        try
        {
            var (code, output) = Repo.RunPython(Tool, "write-nested", file);
            Assert.That(code, Is.EqualTo(0), output);
            AssertFixture(ArrowIpc.ReadSingle(File.ReadAllBytes(file), "python nested fixture"));
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void ANestedRecordIsAPyRecordArrayWithoutPythonObjects()
    {
        var type = Columns[0].Type;
        var record = PyRecord.FromObject(new object?[] { 7, "q" }, type);
        Assert.That(record.Reference, Is.TypeOf<PyRecord[]>());
        var fields = (PyRecord[])record.Reference!;
        Assert.That((fields[0].Bits, fields[1].Reference), Is.EqualTo((7L, (object)"q")));
    }

    [Test]
    public void TypeSpecsParseAndPrintBack()
    {
        var spec = new Dictionary<object, object?>
        {
            ["name"] = "ROW_NAMED",
            ["names"] = new object?[] { "id", "tags" },
            ["fields"] = new object?[]
            {
                new Dictionary<object, object?> { ["name"] = "LONG" },
                new Dictionary<object, object?>
                {
                    ["name"] = "MAP", ["key"] = new Dictionary<object, object?> { ["name"] = "STRING" },
                    ["value"] = new Dictionary<object, object?> { ["name"] = "LIST", ["element"] = new Dictionary<object, object?> { ["name"] = "INT" } },
                },
            },
        };
        var type = PyType.FromSpec(spec);
        Assert.That(type, Is.EqualTo(PyType.Row(new[] { Long, PyType.Map(Str, PyType.List(Int)) }, new[] { "id", "tags" })));
        Assert.That(type.ToString(), Is.EqualTo("ROW_NAMED<id: LONG, tags: MAP<STRING, LIST<INT>>>"));
        Assert.That(type.ArrowType.Name, Is.EqualTo("struct"));
        var back = type.ToSpec();
        Assert.That(back["names"], Is.EqualTo(new[] { "id", "tags" }));
        Assert.That(type, Is.Not.EqualTo(PyType.Row(new[] { Long, PyType.Map(Str, PyType.List(Int)) }, new[] { "id", "other" })));

        var e = Assert.Throws<ArgumentException>(() => PyType.FromSpec(new Dictionary<object, object?> { ["name"] = "ROW_NAMED", ["names"] = new object?[] { "a" }, ["fields"] = System.Array.Empty<object?>() }));
        Assert.That(e!.Message, Does.Contain("1 names for 0 fields"));
        e = Assert.Throws<ArgumentException>(() => PyType.FromSpec(new Dictionary<object, object?> { ["name"] = "LIST" }));
        Assert.That(e!.Message, Does.Contain("'element' should be a TYPE map"));
    }

    [Test]
    public void ANullMapKeyIsAClearError()
    {
        var type = PyType.Map(Str, Int);
        var record = PyRecord.OfReference(new[] { PyRecord.Null, PyRecord.OfLong(1) });
        var e = Assert.Throws<InvalidDataException>(() => ColumnCodec.Build(type, new[] { record }));
        Assert.That(e!.Message, Does.Contain("map keys cannot be null"));
    }
}
