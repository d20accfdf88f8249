namespace PyFlow.Engine.Runtime;

/// <summary>
/// The two-input form of <see cref="SideOutputForwarder{T}"/>: a co-process operator's side outputs
/// see each watermark and the end of input right after the operator handled them, so a side
/// channel ends (and its readers can finish) when the operator's input does.
/// </summary>
internal sealed class TwoInputSideOutputForwarder<T1, T2> : ITwoInputConsumer<T1, T2>, IOperatorLifecycle, IDisposable
{
    private readonly ITwoInputConsumer<T1, T2> _operator;
    private readonly SideOutputs _sides;

    public TwoInputSideOutputForwarder(ITwoInputConsumer<T1, T2> op, SideOutputs sides)
    {
        _operator = op;
        _sides = sides;
    }

    public void Push1(Batch<T1> batch) => _operator.Push1(batch);

    public void Push2(Batch<T2> batch) => _operator.Push2(batch);

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

    public void Open()
    {
        if (_operator is IOperatorLifecycle l) l.Open();
    }

    public void Dispose()
    {
        if (_operator is IDisposable d) d.Dispose();
    }
}
