namespace PyFlow.Engine.Runtime;

/// <summary>
/// Feeds messages from a subtask's input channels into the head of its chain. The operator
/// watermark is the minimum over the channels still open (Flink's rule); a channel that has
/// ended no longer holds it back. Reports when every channel has ended.
/// </summary>
internal sealed class InputProcessor<T> : IInputProcessor
{
    private readonly IBatchConsumer<T> _head;
    private readonly long[] _channelWatermarks;
    private readonly bool[] _ended;
    private int _open;
    private long _current = Watermarks.Initial;

    public InputProcessor(IBatchConsumer<T> head, int numChannels)
    {
        _head = head;
        _channelWatermarks = new long[numChannels];
        Array.Fill(_channelWatermarks, Watermarks.Initial);
        _ended = new bool[numChannels];
        _open = numChannels;
    }

    public bool Finished => _open == 0;

    public void Process(StreamMessage message)
    {
        switch (message)
        {
            case BatchMessage<T> data:
                _head.Push(data.Batch);
                break;
            case WatermarkMessage wm:
                _channelWatermarks[wm.Channel] = Math.Max(_channelWatermarks[wm.Channel], wm.Watermark);
                AdvanceWatermark();
                break;
            case EndOfInputMessage end:
                if (_ended[end.Channel]) throw new InvalidOperationException($"channel {end.Channel} ended twice");
                _ended[end.Channel] = true;
                _open--;
                AdvanceWatermark();
                if (_open == 0) _head.EndOfInput();
                break;
            default:
                throw new InvalidOperationException($"unexpected message {message.GetType().Name} for a stream of {typeof(T).Name}");
        }
    }

    private void AdvanceWatermark()
    {
        var min = long.MaxValue;
        var any = false;
        for (var c = 0; c < _channelWatermarks.Length; c++)
        {
            if (_ended[c]) continue;
            any = true;
            min = Math.Min(min, _channelWatermarks[c]);
        }
        if (!any) return; // every channel ended: each sent its final watermark before it did
        if (min > _current)
        {
            _current = min;
            _head.Watermark(min);
        }
    }
}

/// <summary>The type-erased face of <see cref="InputProcessor{T}"/> that a subtask drives.</summary>
internal interface IInputProcessor
{
    bool Finished { get; }
    void Process(StreamMessage message);
}
