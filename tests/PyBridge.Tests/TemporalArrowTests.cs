using Apache.Arrow;
using Apache.Arrow.Types;
using MessagePack;
using PyFlow.Engine.State;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Tests;

/// <summary>
/// Dates, times, instants, BIG_DEC and PRIMITIVE_ARRAY through <see cref="ColumnCodec"/>: the fixture of
/// tests/python/arrow_temporal_fixture_tool.py written and read by both languages, the columns checked
/// with their parameters, and the records through the checkpoint serializer.
/// </summary>
public class TemporalArrowTests
{
    private static readonly string Tool = Path.Combine(Repo.Root, "tests", "python", "arrow_temporal_fixture_tool.py");

    private static readonly PyType BigDec = PyType.FromName("BIG_DEC"), SqlDate = PyType.FromName("SQL_DATE");

    private static readonly (string Name, PyType Type)[] Columns =
    {
        ("sql_date", SqlDate),
        ("sql_time", PyType.FromName("SQL_TIME")),
        ("local_time", PyType.FromName("LOCAL_TIME")),
        ("instant", PyType.FromName("INSTANT")),
        ("big_dec", BigDec),
        ("ints", PyType.PrimitiveArray(PyType.FromName("INT"))),
        ("nested", PyType.Row(new[] { PyType.List(SqlDate), PyType.Map(PyType.FromName("STRING"), BigDec) }, new[] { "d", "m" })),
    };

    private static PyDecimal Dec(string unscaled) => new(Int128.Parse(unscaled), 18);

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi, int s, int micros) =>
        new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero).AddTicks(micros * 10L);

    /// <summary>arrow_temporal_fixture_tool.ROWS, as <see cref="PyRecord.ToObject"/> gives them.</summary>
    private static readonly object?[][] Rows =
    {
        new object?[] { new DateOnly(2024, 2, 29), new TimeOnly(23, 59, 59, 999), new TimeOnly(23, 59, 59, 999, 999),
            Utc(2024, 1, 2, 3, 4, 5, 123456), Dec("12345678901234567890123456789012345678"), new object?[] { 1, -2 },
            new object?[] { new object?[] { new DateOnly(1970, 1, 1), null }, new Dictionary<object, object?> { ["a"] = Dec("-500000000000000000") } } },
        new object?[] { null, null, null, null, null, null, null },
        new object?[] { new DateOnly(1, 1, 1), new TimeOnly(0, 0), new TimeOnly(0, 0), Utc(1, 1, 1, 0, 0, 0, 0),
            Dec("-99999999999999999999999999999999999999"), System.Array.Empty<object?>(),
            new object?[] { System.Array.Empty<object?>(), new Dictionary<object, object?>() } },
        new object?[] { new DateOnly(9999, 12, 31), new TimeOnly(12, 0, 0, 1), new TimeOnly(0, 0, 0, 0, 1),
            Utc(1969, 12, 31, 23, 59, 59, 999999), Dec("1"), new object?[] { int.MaxValue },
            new object?[] { null, new Dictionary<object, object?> { ["z"] = null } } },
    };

    private static RecordBatch Fixture()
    {
        var arrays = Columns.Select((c, i) => ColumnCodec.Build(c.Type, Rows.Select(r => PyRecord.FromObject(r[i], c.Type)).ToArray())).ToList();
        return new RecordBatch(ArrowIpc.Schema(Columns.Select(c => (c.Name, c.Type.ArrowType)).ToArray()), arrays, Rows.Length);
    }

    private static void AssertFixture(RecordBatch batch)
    {
        Assert.That(batch.Length, Is.EqualTo(Rows.Length));
        for (var c = 0; c < Columns.Length; c++)
        {
            var got = new PyRecord[Rows.Length];
            ColumnCodec.Read(Columns[c].Type, ArrowIpc.Column(batch, Columns[c].Name, "temporal fixture"), got);
            for (var r = 0; r < Rows.Length; r++)
                Assert.That(got[r].ToObject(Columns[c].Type), Is.EqualTo(Rows[r][c]), $"column {Columns[c].Name}, row {r}");
        }
    }

    [Test]
    public void RoundTripsInCSharp() => AssertFixture(ArrowIpc.ReadSingle(ArrowIpc.Write(Fixture()), "round trip"));

    [Test]
    public void PythonReadsWhatCSharpWrites()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pyflow-cs-temporal-{Guid.NewGuid():N}.arrow");
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
        var file = Path.Combine(Path.GetTempPath(), $"pyflow-py-temporal-{Guid.NewGuid():N}.arrow");
        try
        {
            var (code, output) = Repo.RunPython(Tool, "write", file);
            Assert.That(code, Is.EqualTo(0), output);
            var batch = ArrowIpc.ReadSingle(File.ReadAllBytes(file), "python temporal fixture");
            Assert.That(batch.Schema.GetFieldByName("instant").DataType, Is.TypeOf<TimestampType>().With.Property("Timezone").EqualTo("UTC"));
            Assert.That(batch.Schema.GetFieldByName("big_dec").DataType, Is.TypeOf<Decimal128Type>().With.Property("Precision").EqualTo(38).And.Property("Scale").EqualTo(18));
            AssertFixture(batch);
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void AColumnWithOtherParametersIsRefusedNamingBoth()
    {
        var seconds = new Time32Array(new Time32Type(TimeUnit.Second), new ArrowBuffer(new byte[8]), ArrowBuffer.Empty, 1, 0, 0);
        var e = Assert.Throws<InvalidDataException>(() => ColumnCodec.Read(PyType.FromName("SQL_TIME"), seconds, new PyRecord[1]));
        Assert.That(e!.Message, Does.Contain("SQL_TIME (time32[ms])").And.Contain("time32[s]"));

        var naive = ColumnCodec.Build(PyType.FromName("SQL_TIMESTAMP"), new[] { PyRecord.OfLong(1) });
        e = Assert.Throws<InvalidDataException>(() => ColumnCodec.Read(PyType.FromName("INSTANT"), naive, new PyRecord[1]));
        Assert.That(e!.Message, Does.Contain("INSTANT (timestamp[us, tz=UTC])").And.Contain("got timestamp[us]"));

        var other = new Decimal128Array(new ArrayData(new Decimal128Type(10, 2), 1, 0, 0, new[] { ArrowBuffer.Empty, new ArrowBuffer(new byte[16]) }));
        e = Assert.Throws<InvalidDataException>(() => ColumnCodec.Read(BigDec, other, new PyRecord[1]));
        Assert.That(e!.Message, Does.Contain("BIG_DEC (decimal128(38, 18))").And.Contain("decimal128(10, 2)"));
    }

    [Test]
    public void DecimalsAreEqualByValueAndRefusedWhenTheyDoNotFit()
    {
        Assert.That(new PyDecimal(15, 1), Is.EqualTo(new PyDecimal(1500, 3)));
        Assert.That(new PyDecimal(15, 1).GetHashCode(), Is.EqualTo(new PyDecimal(1500, 3).GetHashCode()));
        Assert.That(new PyDecimal(-15, 1).ToString(), Is.EqualTo("-1.5"));
        Assert.That(new PyDecimal(5, 3).ToString(), Is.EqualTo("0.005"));
        Assert.That(new PyDecimal(15, 1).CompareTo(new PyDecimal(149, 2)), Is.GreaterThan(0));
        Assert.That(PyRecord.FromObject(1.25m, BigDec).Reference, Is.EqualTo(Dec("1250000000000000000")));
        var e = Assert.Throws<OverflowException>(() => PyRecord.FromObject(0.0000000000000000001m, BigDec));
        Assert.That(e!.Message, Does.Contain("0.0000000000000000001").And.Contain("more than 18 digits after the point"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PyDecimal(Int128.Parse("100000000000000000000000000000000000000"), 0));
        var t = Assert.Throws<ArgumentException>(() => PyRecord.FromObject(new TimeOnly(1, 2, 3, 4, 5), PyType.FromName("SQL_TIME")));
        Assert.That(t!.Message, Does.Contain("SQL_TIME holds whole milliseconds"));
    }

    [Test]
    public void RecordsRoundTripThroughTheCheckpointSerializer()
    {
        var records = Columns.SelectMany((c, i) => Rows.Select(r => PyRecord.FromObject(r[i], c.Type))).ToArray();
        var back = MessagePackStateSerializer.Instance.Deserialize<PyRecord[]>(MessagePackStateSerializer.Instance.Serialize(records));
        var n = 0;
        foreach (var (column, i) in Columns.Select((c, i) => (c, i)))
            foreach (var row in Rows)
                Assert.That(back[n++].ToObject(column.Type), Is.EqualTo(row[i]), $"column {column.Name}");
        var typeless = MessagePackSerializer.Typeless.Deserialize(MessagePackSerializer.Typeless.Serialize((object)records[4 * Rows.Length]));
        Assert.That(((PyRecord)typeless!).Reference, Is.EqualTo(Dec("12345678901234567890123456789012345678")));
    }

    [Test]
    public void PrimitiveArraySpecsParseAndRefuseOtherElements()
    {
        var spec = new Dictionary<object, object?> { ["name"] = "PRIMITIVE_ARRAY", ["element"] = new Dictionary<object, object?> { ["name"] = "DOUBLE" } };
        var type = PyType.FromSpec(spec);
        Assert.That(type.ToString(), Is.EqualTo("PRIMITIVE_ARRAY<DOUBLE>"));
        Assert.That(type.ToSpec()["element"], Is.EqualTo(new Dictionary<string, object> { ["name"] = "DOUBLE" }));
        var e = Assert.Throws<ArgumentException>(() => PyType.FromSpec(new Dictionary<object, object?>
            { ["name"] = "PRIMITIVE_ARRAY", ["element"] = new Dictionary<object, object?> { ["name"] = "STRING" } }));
        Assert.That(e!.Message, Does.Contain("element type STRING"));
    }
}
