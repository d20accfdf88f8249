using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace PyFlow.PyBridge.Arrow;

/// <summary>One record batch as a complete Arrow IPC stream (schema, batch, end marker), and back.</summary>
public static class ArrowIpc
{
    public static byte[] Write(RecordBatch batch)
    {
        // Sized up front: growing from empty would copy a 10k-row batch's buffers about ten times.
        using var ms = new MemoryStream(EstimatedSize(batch));
        using (var writer = new ArrowStreamWriter(ms, batch.Schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }
        return ms.ToArray();
    }

    /// <summary>The batch's buffers (8-byte aligned, as IPC pads them) plus room for the schema and batch metadata.</summary>
    private static int EstimatedSize(RecordBatch batch)
    {
        long size = 1024;
        for (var i = 0; i < batch.ColumnCount; i++) size += BufferBytes(batch.Column(i).Data);
        return (int)Math.Min(size, System.Array.MaxLength);
    }

    private static long BufferBytes(ArrayData data)
    {
        long size = 256;
        if (data.Buffers != null) foreach (var buffer in data.Buffers) size += (buffer.Length + 7) & ~7L;
        if (data.Children != null) foreach (var child in data.Children) size += BufferBytes(child);
        if (data.Dictionary != null) size += BufferBytes(data.Dictionary);
        return size;
    }

    /// <summary>Reads the single record batch of a stream; a malformed stream is an <see cref="InvalidDataException"/>.</summary>
    public static RecordBatch ReadSingle(ReadOnlyMemory<byte> stream, string what)
    {
        try
        {
            using var reader = new ArrowStreamReader(stream);
            var batch = reader.ReadNextRecordBatch() ?? throw new InvalidDataException($"{what}: the Arrow stream holds no record batch");
            return batch;
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"{what}: corrupt Arrow IPC stream ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Every record batch of a stream; a malformed stream is an <see cref="InvalidDataException"/>.</summary>
    public static List<RecordBatch> ReadAll(ReadOnlyMemory<byte> stream, string what)
    {
        var batches = new List<RecordBatch>();
        try
        {
            using var reader = new ArrowStreamReader(stream);
            while (reader.ReadNextRecordBatch() is { } batch) batches.Add(batch);
            return batches;
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            foreach (var b in batches) b.Dispose();
            throw new InvalidDataException($"{what}: corrupt Arrow IPC stream ({e.GetType().Name}: {e.Message})", e);
        }
    }

    public static IArrowArray Column(RecordBatch batch, string name, string what) =>
        batch.Schema.GetFieldIndex(name) is var i and >= 0
            ? batch.Column(i)
            : throw new InvalidDataException($"{what}: the batch has no column '{name}'");

    public static bool HasColumn(RecordBatch batch, string name) => batch.Schema.GetFieldIndex(name) >= 0;

    public static Schema Schema(params (string Name, Apache.Arrow.Types.IArrowType Type)[] fields)
    {
        var b = new Schema.Builder();
        foreach (var (name, type) in fields) b.Field(f => f.Name(name).DataType(type).Nullable(true));
        return b.Build();
    }
}
