namespace PyFlow.Engine.Runtime;

/// <summary>An operator with two inputs of different types (Flink's TwoInputStreamOperator): connect, co-map, co-process.</summary>
public interface ITwoInputConsumer<T1, T2>
{
    void Push1(Batch<T1> batch);
    void Push2(Batch<T2> batch);

    /// <summary>The combined watermark: the minimum over both inputs' channels.</summary>
    void Watermark(long watermark);

    /// <summary>Both inputs have ended.</summary>
    void EndOfInput();
}

/// <summary>Feeds a two-input operator: the channel of each message says which input it belongs to.</summary>
internal sealed class TwoInputProcessor<T1, T2> : IInputProcessor
{
    private readonly ITwoInputConsumer<T1, T2> _head;
    private readonly InputProcessor<object> _time; // watermark and end-of-input bookkeeping over all channels
    private readonly int _firstChannels;

    /// <param name="firstChannels">channels [0, firstChannels) carry the first input, the rest the second</param>
    public TwoInputProcessor(ITwoInputConsumer<T1, T2> head, int numChannels, int firstChannels)
    {
        _head = head;
        _firstChannels = firstChannels;
        _time = new InputProcessor<object>(new TimeOnly(head), numChannels);
    }

    public bool Finished => _time.Finished;

    public void Process(StreamMessage message)
    {
        switch (message)
        {
            case BatchMessage<T1> first when message.Channel < _firstChannels:
                _head.Push1(first.Batch);
                break;
            case BatchMessage<T2> second when message.Channel >= _firstChannels:
                _head.Push2(second.Batch);
                break;
            default:
                _time.Process(message);
                break;
        }
    }

    /// <summary>Receives only watermarks and the end of input from the shared bookkeeping.</summary>
    private sealed class TimeOnly : IBatchConsumer<object>
    {
        private readonly ITwoInputConsumer<T1, T2> _head;
        public TimeOnly(ITwoInputConsumer<T1, T2> head) => _head = head;
        public void Push(Batch<object> batch) => throw new InvalidOperationException("records do not go through the time bookkeeping");
        public void Watermark(long watermark) => _head.Watermark(watermark);
        public void EndOfInput() => _head.EndOfInput();
    }
}
