using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace PyFlow.PyBridge.Wire;

/// <summary>
/// The frame of every PyFlow pipe: u32 length (kind + payload), u8 kind, payload; little-endian.
/// See docs/ARCHITECTURE.md ("Protocols").
/// </summary>
public static class Frames
{
    public const int HeaderSize = 5;
    /// <summary>The default limit (<c>pyflow.frame.max-size</c>, see <see cref="FrameLimit"/>).</summary>
    public const int MaxLength = 256 * 1024 * 1024;
    /// <summary>The largest limit the option takes: a length above it is corruption whatever the limit.</summary>
    public const int Ceiling = 1024 * 1024 * 1024;

    /// <summary>Writes one frame to a pipe and flushes it. The pipe's own bounds give backpressure.</summary>
    public static async ValueTask WriteAsync(PipeWriter writer, byte kind, ReadOnlyMemory<byte> payload, CancellationToken cancel)
    {
        var header = writer.GetSpan(HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(payload.Length + 1));
        header[4] = kind;
        writer.Advance(HeaderSize);
        if (!payload.IsEmpty) await writer.WriteAsync(payload, cancel).ConfigureAwait(false);
        var flushed = await writer.FlushAsync(cancel).ConfigureAwait(false);
        if (flushed.IsCompleted) throw new IOException("the reading end of the pipe is closed");
    }

    /// <summary>
    /// Reads one frame. Returns null at a clean end of stream; throws <see cref="FrameTooLargeException"/> for a
    /// frame of a known kind (<paramref name="isKnownKind"/>; null: any) over <paramref name="maxLength"/> but
    /// within <see cref="Ceiling"/>, and <see cref="ProtocolException"/> for any other bad length (corruption) or a
    /// stream that ends inside a frame. The payload is copied out, so the caller owns it.
    /// </summary>
    public static async ValueTask<(byte Kind, byte[] Payload)?> ReadAsync(PipeReader reader, string pipe, CancellationToken cancel,
        int maxLength = MaxLength, Func<byte, bool>? isKnownKind = null)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancel).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryParse(ref buffer, pipe, maxLength, isKnownKind, out var frame))
            {
                reader.AdvanceTo(buffer.Start);
                return frame;
            }
            if (result.IsCompleted)
            {
                var left = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (left == 0) return null;
                throw new ProtocolException($"{pipe}: the stream ended inside a frame ({left} bytes of an incomplete frame)");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryParse(ref ReadOnlySequence<byte> buffer, string pipe, int maxLength, Func<byte, bool>? isKnownKind, out (byte, byte[]) frame)
    {
        frame = default;
        if (buffer.Length < HeaderSize) return false;
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length > maxLength && length <= Ceiling && (isKnownKind == null || isKnownKind(header[4])))
            throw new FrameTooLargeException($"{pipe}: a frame of kind 0x{header[4]:x2} is {length} bytes, over this reader's limit of {maxLength} bytes " +
                $"({FrameLimit.Key}): its writer allows larger frames. Both ends take the limit from the job's configuration; reinstall pyflow if the driver and the engine come from different builds");
        if (length < 1 || length > maxLength)
            throw new ProtocolException($"{pipe}: frame length {length} is outside 1..{maxLength}; the stream is corrupt");
        if (buffer.Length < 4 + length) return false;
        var payload = buffer.Slice(HeaderSize, length - 1).ToArray();
        frame = (header[4], payload);
        buffer = buffer.Slice(4 + length);
        return true;
    }
}

/// <summary>A frame over the limit <c>pyflow.frame.max-size</c>: refused by its writer (naming what made it large) or its reader.</summary>
public sealed class FrameTooLargeException : Exception
{
    public FrameTooLargeException(string message) : base(message) { }
}

/// <summary>A pipe carried something that is not a valid frame: corrupt, truncated, or from another protocol version.</summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(string message) : base(message) { }
}
