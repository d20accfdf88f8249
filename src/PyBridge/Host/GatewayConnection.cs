using System.Buffers.Binary;
using PyFlow.PyBridge.Wire;

namespace PyFlow.Host;

/// <summary>
/// The host's side of the gateway protocol (docs/ARCHITECTURE.md): frames out on the process's
/// real stdout, written whole under one lock because sink subtasks, worker log pumps and the
/// main loop all send. A driver that reads slowly blocks the writers: backpressure, not memory.
/// </summary>
internal sealed class GatewayConnection
{
    public const int Protocol = 1;
    public const byte Submit = 0x01, Cancel = 0x02;
    public const byte Hello = 0x10, Results = 0x11, Finished = 0x12, Failed = 0x13, Log = 0x14, Progress = 0x15, Restarting = 0x16;

    private readonly Stream _out;
    private readonly object _lock = new();

    public GatewayConnection(Stream stdout) => _out = stdout;

    /// <summary>The running job's <c>pyflow.frame.max-size</c>, which the driver reads with.</summary>
    public int MaxFrame { get; set; } = Frames.MaxLength;

    public void Send(byte kind, ReadOnlySpan<byte> payload) => Send(kind, ReadOnlySpan<byte>.Empty, payload);

    /// <summary>RESULTS: u32 sink id, u32 subtask index, then the Arrow IPC stream.</summary>
    public void SendResults(int sinkId, int subtask, byte[] arrowIpc)
    {
        FrameLimit.Check(8L + arrowIpc.Length, MaxFrame, $"the results of sink {sinkId} (subtask {subtask}) for the driver",
            "make the records smaller");
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, (uint)sinkId);
        BinaryPrimitives.WriteUInt32LittleEndian(prefix[4..], (uint)subtask);
        Send(Results, prefix, arrowIpc);
    }

    /// <summary>One frame whose payload is <paramref name="prefix"/> then <paramref name="payload"/>, written without copying them together.</summary>
    private void Send(byte kind, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[Frames.HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(prefix.Length + payload.Length + 1));
        header[4] = kind;
        lock (_lock)
        {
            _out.Write(header);
            _out.Write(prefix);
            _out.Write(payload);
            _out.Flush();
        }
    }

    public void SendLog(string text) => Send(Log, Msg.Pack(new Dictionary<string, object> { ["text"] = text }));
}
