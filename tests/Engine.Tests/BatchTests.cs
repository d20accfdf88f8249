using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Tests;

public class BatchTests
{
    [Test]
    public void ABatchInWireFormDecodesOnceAndOnlyWhenRead()
    {
        var decodes = 0;
        var batch = new Batch<int>(3, wireForm: "three ints", () =>
        {
            decodes++;
            return (new[] { 7, 8, 9 }, new[] { 1L, 2L, 3L });
        });
        Assert.That(batch.Count, Is.EqualTo(3));
        Assert.That(batch.WireForm, Is.EqualTo("three ints"));
        Assert.That(decodes, Is.Zero, "nothing read yet");
        Assert.That(batch.ValueSpan.ToArray(), Is.EqualTo(new[] { 7, 8, 9 }));
        Assert.That(batch.TimestampSpan.ToArray(), Is.EqualTo(new[] { 1L, 2L, 3L }));
        Assert.That(decodes, Is.EqualTo(1));
    }

    [Test]
    public void ABatchInWireFormIsReadOnly()
    {
        var batch = new Batch<int>(1, "one", () => (new[] { 1 }, new[] { 0L }));
        Assert.Throws<InvalidOperationException>(() => batch.Add(2, 0));
    }

    [Test]
    public void ADecoderThatReturnsTooFewRecordsIsAnError()
    {
        var batch = new Batch<int>(2, "two", () => (new[] { 1 }, new[] { 0L }));
        var e = Assert.Throws<InvalidDataException>(() => _ = batch.Values);
        Assert.That(e!.Message, Does.Contain("2 records"));
    }
}
