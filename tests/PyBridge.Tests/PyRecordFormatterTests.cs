using MessagePack;
using PyFlow.Engine.State;
using PyFlow.PyBridge.Records;

namespace PyFlow.PyBridge.Tests;

/// <summary>
/// PyRecords and KeyBytes through the engine's own serializers (heap snapshots use MessagePack's typeless
/// form; RocksDB and timers the contractless one): every kind of value, nested, null, with and without key.
/// </summary>
public class PyRecordFormatterTests
{
    private static readonly KeyBytes Key = new(new byte[] { 1, 2, 3, 250 });

    private static IEnumerable<PyRecord> Records()
    {
        yield return PyRecord.Null;
        yield return PyRecord.OfLong(0);
        yield return PyRecord.OfLong(long.MinValue);
        yield return PyRecord.OfDouble(-0.0);
        yield return PyRecord.OfDouble(double.NaN);
        yield return PyRecord.OfReference("héllo");
        yield return PyRecord.OfReference(Array.Empty<byte>());
        yield return PyRecord.OfReference(new byte[] { 0x80, 0x04, 0x95 });
        yield return PyRecord.OfReference(new[] { PyRecord.OfLong(7), PyRecord.Null, PyRecord.OfReference("x"),
            PyRecord.OfReference(new[] { PyRecord.OfDouble(1.5), PyRecord.OfReference(Array.Empty<PyRecord>()) }) });
        yield return PyRecord.OfReference(new[] { PyRecord.OfLong(3), PyRecord.OfReference("pair") }).WithKey(Key);
        yield return PyRecord.Null.WithKey(Key);
    }

    private static void AssertSame(PyRecord actual, PyRecord expected)
    {
        Assert.That(actual.IsNull, Is.EqualTo(expected.IsNull));
        Assert.That(actual.Bits, Is.EqualTo(expected.Bits));
        Assert.That(actual.HasKey, Is.EqualTo(expected.HasKey));
        if (expected.HasKey) Assert.That(actual.Key, Is.EqualTo(expected.Key));
        switch (expected.Reference)
        {
            case PyRecord[] nested:
                var got = (PyRecord[])actual.Reference!;
                Assert.That(got, Has.Length.EqualTo(nested.Length));
                for (var i = 0; i < nested.Length; i++) AssertSame(got[i], nested[i]);
                break;
            default:
                Assert.That(actual.Reference, Is.EqualTo(expected.Reference));
                break;
        }
    }

    [TestCaseSource(nameof(Records))]
    public void RoundTripsThroughTheStateSerializer(PyRecord record)
    {
        var bytes = MessagePackStateSerializer.Instance.Serialize(record);
        AssertSame(MessagePackStateSerializer.Instance.Deserialize<PyRecord>(bytes), record);
    }

    [Test]
    public void RoundTripsBoxedAndInListsThroughTheTypelessForm()
    {
        var records = Records().ToList();
        var entries = new List<object?[]> { new object?[] { Key, records[8], records }, new object?[] { Key, records[^1], null } };
        var back = (List<object?[]>)MessagePackSerializer.Typeless.Deserialize(MessagePackSerializer.Typeless.Serialize(entries))!;
        Assert.That(back[0][0], Is.EqualTo(Key));
        AssertSame((PyRecord)back[0][1]!, records[8]);
        var list = (List<PyRecord>)back[0][2]!;
        for (var i = 0; i < records.Count; i++) AssertSame(list[i], records[i]);
        AssertSame((PyRecord)back[1][1]!, records[^1]);
    }

    [Test]
    public void KeysSerializeAsTheirBytesSoEqualKeysHaveEqualBytes()
    {
        var a = MessagePackStateSerializer.Instance.Serialize(new KeyBytes(new byte[] { 9, 8 }));
        var b = MessagePackStateSerializer.Instance.Serialize(new KeyBytes(new byte[] { 9, 8 }));
        Assert.That(a, Is.EqualTo(b));
        Assert.That(MessagePackStateSerializer.Instance.Deserialize<KeyBytes>(a), Is.EqualTo(new KeyBytes(new byte[] { 9, 8 })));
    }

    [Test]
    public void AValueOfAnUnknownShapeIsRefusedNamingIt()
    {
        var bytes = MessagePackSerializer.Serialize(new object[] { new Dictionary<string, int> { ["a"] = 1 }, null! });
        var e = Assert.Throws<MessagePackSerializationException>(() => MessagePackStateSerializer.Instance.Deserialize<PyRecord>(bytes));
        Assert.That(e!.ToString(), Does.Contain("cannot be a msgpack Map"));
    }
}
