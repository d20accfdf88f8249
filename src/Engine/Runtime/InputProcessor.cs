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
    private readonly bool[] _idle;
    private int _open;
    private long _current = Watermarks.Initial;
    private bool _allIdle;

    public InputProcessor(IBatchConsumer<T> head, int numChannels)
    {
        _head = head;
        _channelWatermarks = new long[numChannels];
        Array.Fill(_channelWatermarks, Watermarks.Initial);
        _ended = new bool[numChannels];
        _idle = new bool[numChannels];
        _open = numChannels;
    }

    public bool Finished => _open == 0;

    public void Process(StreamMessage message)
    {
        switch (message)
        {
            case BatchMessage<T> data:
                Activate(data.Channel);
                _head.Push(data.Batch);
                break;
            case WatermarkMessage wm:
                Activate(wm.Channel);
                _channelWatermarks[wm.Channel] = Math.Max(_channelWatermarks[wm.Channel], wm.Watermark);
                AdvanceWatermark();
                break;
            case WatermarkStatusMessage status:
                if (status.Idle) _idle[status.Channel] = true;
                else Activate(status.Channel);
                AdvanceWatermark(); // an idle channel no longer holds the minimum back
                UpdateStatus();
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

    private void Activate(int channel)
    {
        if (!_idle[channel]) return;
        _idle[channel] = false;
        UpdateStatus();
    }

    /// <summary>The operator is idle when every open channel is: then it tells its consumers so.</summary>
    private void UpdateStatus()
    {
        var allIdle = true;
        for (var c = 0; c < _idle.Length; c++)
            if (!_ended[c] && !_idle[c]) allIdle = false;
        if (allIdle == _allIdle) return;
        _allIdle = allIdle;
        _head.WatermarkStatus(allIdle);
    }

    private void AdvanceWatermark()
    {
        var min = long.MaxValue;
        var maxOfIdle = long.MinValue;
        var any = false;
        for (var c = 0; c < _channelWatermarks.Length; c++)
        {
            if (_ended[c]) continue;
            if (_idle[c])
            {
                maxOfIdle = Math.Max(maxOfIdle, _channelWatermarks[c]);
                continue;
            }
            any = true;
            min = Math.Min(min, _channelWatermarks[c]);
        }
        // Every open channel idle: move on to the largest watermark any of them reached (Flink's
        // StatusWatermarkValve does the same), so idling does not freeze what was already seen.
        if (!any) min = maxOfIdle;
        if (min == long.MinValue) return; // every channel ended (each sent its final watermark first)
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
