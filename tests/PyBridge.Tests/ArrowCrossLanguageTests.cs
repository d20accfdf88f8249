using Apache.Arrow;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Tests;

/// <summary>
/// C# and Python (pyflow._arrow, the numpy codec) read each other's Arrow IPC byte streams.
/// The fixture is the one in tests/python/arrow_fixture_tool.py, row for row.
/// </summary>
public class ArrowCrossLanguageTests
{
    private static readonly string Tool = Path.Combine(Repo.Root, "tests", "python", "arrow_fixture_tool.py");

    private static readonly (string Name, PyType Type)[] Columns =
    {
        ("int32", PyType.FromName("INT")),
        ("int64", PyType.FromName("LONG")),
        ("float64", PyType.FromName("DOUBLE")),
        ("bool", PyType.FromName("BOOLEAN")),
        ("utf8", PyType.FromName("STRING")),
        ("binary", PyType.FromName("BYTES")),
        ("timestamp", PyType.FromName("SQL_TIMESTAMP")),
    };

    private static DateTimeOffset Ts(int y, int mo, int d, int h, int mi, int s, int micros) =>
        new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero).AddTicks(micros * 10L);

    private static readonly object?[][] Rows =
    {
        new object?[] { 1, 1L, 1.5, true, "a", new byte[] { 0, 1 }, Ts(2024, 1, 2, 3, 4, 5, 123456) },
        new object?[] { null, null, null, null, null, null, null },
        new object?[] { int.MinValue, long.MinValue, -0.0, false, "", System.Array.Empty<byte>(), Ts(1970, 1, 1, 0, 0, 0, 0) },
        new object?[] { int.MaxValue, long.MaxValue, 1e300, true, "h\u00e9llo \u2713", new byte[] { 0xff, 0xff, 0xff }, Ts(1969, 12, 31, 23, 59, 59, 999999) },
        new object?[] { 0, 42L, double.NaN, false, new string('x', 100), "abc"u8.ToArray(), Ts(2038, 1, 19, 3, 14, 8, 0) },
    };

    private static RecordBatch Fixture()
    {
        var arrays = Columns.Select((c, i) => ColumnCodec.Build(c.Type, Rows.Select(r => PyRecord.FromObject(r[i], c.Type)).ToArray())).ToList();
        return new RecordBatch(ArrowIpc.Schema(Columns.Select(c => (c.Name, c.Type.ArrowType)).ToArray()), arrays, Rows.Length);
    }

    [Test]
    public void PythonReadsWhatCSharpWrites()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pyflow-cs-{Guid.NewGuid():N}.arrow");
        File.WriteAllBytes(file, ArrowIpc.Write(Fixture()));
        try
        {
            var (code, output) = Repo.RunPython(Tool, "check", file);
            Assert.That(code, Is.EqualTo(0), output);
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void CSharpReadsWhatPythonWrites()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pyflow-py-{Guid.NewGuid():N}.arrow");
        try
        {
            var (code, output) = Repo.RunPython(Tool, "write", file);
            Assert.That(code, Is.EqualTo(0), output);
            var batch = ArrowIpc.ReadSingle(File.ReadAllBytes(file), "python fixture");
            Assert.That(batch.Length, Is.EqualTo(Rows.Length));
            for (var c = 0; c < Columns.Length; c++)
            {
                var got = new PyRecord[Rows.Length];
                ColumnCodec.Read(Columns[c].Type, ArrowIpc.Column(batch, Columns[c].Name, "fixture"), got);
                for (var r = 0; r < Rows.Length; r++)
                    AssertSame(Rows[r][c], got[r].ToObject(Columns[c].Type), $"column {Columns[c].Name}, row {r}");
            }
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void EveryTypeRoundTripsInCSharp()
    {
        var batch = ArrowIpc.ReadSingle(ArrowIpc.Write(Fixture()), "round trip");
        for (var c = 0; c < Columns.Length; c++)
        {
            var got = new PyRecord[Rows.Length];
            ColumnCodec.Read(Columns[c].Type, batch.Column(c), got);
            for (var r = 0; r < Rows.Length; r++) AssertSame(Rows[r][c], got[r].ToObject(Columns[c].Type), $"column {Columns[c].Name}, row {r}");
        }
    }

    [Test]
    public void ACorruptStreamIsAClearError()
    {
        var bytes = ArrowIpc.Write(Fixture());
        var e = Assert.Throws<InvalidDataException>(() => ArrowIpc.ReadSingle(bytes.AsMemory(0, bytes.Length / 2), "half a stream"));
        Assert.That(e!.Message, Does.StartWith("half a stream"));
    }

    private static void AssertSame(object? expected, object? actual, string where)
    {
        switch (expected)
        {
            case double d when double.IsNaN(d):
                Assert.That(actual, Is.TypeOf<double>().And.NaN, where);
                break;
            case double d:
                Assert.That(BitConverter.DoubleToInt64Bits((double)actual!), Is.EqualTo(BitConverter.DoubleToInt64Bits(d)), where);
                break;
            default:
                Assert.That(actual, Is.EqualTo(expected), where);
                break;
        }
    }
}
