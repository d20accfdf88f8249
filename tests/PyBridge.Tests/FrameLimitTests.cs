using System.Buffers.Binary;
using System.IO.Pipelines;
using PyFlow.PyBridge.Wire;

namespace PyFlow.PyBridge.Tests;

/// <summary>
/// A frame over the limit is told apart from a corrupt stream: a known kind with a length the option could allow
/// is "too large" (naming pyflow.frame.max-size), anything else is corruption. And the option is checked.
/// </summary>
public class FrameLimitTests
{
    private static async Task<Exception?> Read(uint length, byte kind, int maxLength)
    {
        var pipe = new Pipe();
        var header = new byte[Frames.HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, length);
        header[4] = kind;
        await pipe.Writer.WriteAsync(header);
        await pipe.Writer.CompleteAsync();
        try
        {
            await Frames.ReadAsync(pipe.Reader, "test pipe", CancellationToken.None, maxLength, k => k == 0x11);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Test]
    public async Task AKnownKindOverTheLimitIsTooLargeNotCorrupt()
    {
        var e = await Read(2 * 1024 * 1024, 0x11, 1024 * 1024);
        Assert.That(e, Is.InstanceOf<FrameTooLargeException>());
        Assert.That(e!.Message, Does.Contain("test pipe: a frame of kind 0x11 is 2097152 bytes, over this reader's limit of 1048576 bytes (pyflow.frame.max-size)"));
    }

    [Test]
    public async Task ALengthNoLimitAllowsOrAnUnknownKindIsCorrupt()
    {
        Assert.That((await Read(0xFFFF_FFF0, 0x11, 1024 * 1024))!.Message, Does.Contain("the stream is corrupt"));
        var unknownKind = await Read(2 * 1024 * 1024, 0x7f, 1024 * 1024);
        Assert.That(unknownKind, Is.InstanceOf<ProtocolException>());
        Assert.That(unknownKind!.Message, Does.Contain("frame length 2097152 is outside 1..1048576; the stream is corrupt"));
    }

    [Test]
    public void TheOptionTakesSizesFromOneMegabyteToOneGigabyte()
    {
        static int Limit(string text) => FrameLimit.FromConfig(new Dictionary<string, string> { [FrameLimit.Key] = text });
        Assert.That(Limit("512 mb"), Is.EqualTo(512 << 20));
        Assert.That(Limit("1gb"), Is.EqualTo(1 << 30));
        Assert.That(Limit("2097152"), Is.EqualTo(2 << 20));
        Assert.That(FrameLimit.FromConfig(new Dictionary<string, string>()), Is.EqualTo(Frames.MaxLength));
        foreach (var bad in new[] { "2 gb", "1 kb", "lots", "-5 mb", "99999999999999999999 gb" })
            Assert.That(() => Limit(bad), Throws.ArgumentException.With.Message.Contains("must be a size from 1 mb to 1 gb"), bad);
    }
}
