using PyFlow.Engine.Api;

namespace PyFlow.Engine.Runtime;

/// <summary>
/// The side outputs of one operator instance: for each tag somebody consumes, the writer into
/// the consumers' channels. Records of a tag nobody consumes are discarded, as in Flink.
/// Watermarks and the end of input reach the side channels right after the operator has
/// handled them, so side records are never overtaken by the watermark that follows them.
/// </summary>
public sealed class SideOutputs
{
    public static readonly SideOutputs None = new(new Dictionary<object, object>());

    private readonly IReadOnlyDictionary<object, object> _writers;

    internal SideOutputs(IReadOnlyDictionary<object, object> writers) => _writers = writers;

    public bool IsEmpty => _writers.Count == 0;

    /// <summary>True when some operator reads the side output <paramref name="tag"/>.</summary>
    public bool Consumes(object tag) => _writers.ContainsKey(tag);

    /// <summary>Emits <paramref name="value"/> with <paramref name="timestamp"/> to the side output <paramref name="tag"/>.</summary>
    public void Emit<T>(OutputTag<T> tag, T value, long timestamp)
    {
        if (!_writers.TryGetValue(tag, out var writer)) return;
        var batch = new Batch<T>(1);
        batch.Add(value, timestamp);
        ((IBatchConsumer<T>)writer).Push(batch);
    }

    /// <summary>Emits a whole batch to the side output <paramref name="tag"/> (nothing when nobody reads it). The batch is handed over.</summary>
    public void Emit<T>(OutputTag<T> tag, Batch<T> batch)
    {
        if (batch.Count == 0 || !_writers.TryGetValue(tag, out var writer)) return;
        ((IBatchConsumer<T>)writer).Push(batch);
    }

    internal void Watermark(long watermark)
    {
        foreach (var w in _writers.Values) ((ISideChannel)w).Watermark(watermark);
    }

    internal void EndOfInput()
    {
        foreach (var w in _writers.Values) ((ISideChannel)w).EndOfInput();
    }
}

/// <summary>The type-erased face of a side output's writer.</summary>
internal interface ISideChannel
{
    void Watermark(long watermark);
    void EndOfInput();
}

/// <summary>Wraps an operator so its side outputs see each watermark and the end of input right after it does.</summary>
internal sealed class SideOutputForwarder<T> : IBatchConsumer<T>, IOperatorLifecycle, IDisposable
{
    private readonly IBatchConsumer<T> _operator;
    private readonly SideOutputs _sides;

    public SideOutputForwarder(IBatchConsumer<T> op, SideOutputs sides)
    {
        _operator = op;
        _sides = sides;
    }

    public void Push(Batch<T> batch) => _operator.Push(batch);

    public void Watermark(long watermark)
    {
        _operator.Watermark(watermark);
        _sides.Watermark(watermark);
    }

    public void EndOfInput()
    {
        _operator.EndOfInput();
        _sides.EndOfInput();
    }

    public void WatermarkStatus(bool idle) => _operator.WatermarkStatus(idle);

    public void Open()
    {
        if (_operator is IOperatorLifecycle l) l.Open();
    }

    public void Dispose()
    {
        if (_operator is IDisposable d) d.Dispose();
    }
}
