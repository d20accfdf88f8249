using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Runtime;

/// <summary>Where a subtask's records come from: its source reader, or its input gate.</summary>
internal interface ISubtaskInput : IDisposable
{
    /// <summary>
    /// Does one step of input work: polls the source once, or waits (at most
    /// <paramref name="maxWait"/>) for one message or mail and handles it.
    /// Returns false once the input is over and its end has been passed down the chain.
    /// </summary>
    bool Step(InputGate gate, TimeSpan maxWait);
}

/// <summary>Polls a source reader. Mail is run between polls so Python results and timers still flow.</summary>
internal sealed class SourceInput<T> : ISubtaskInput, ISourceInput
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(5);
    private readonly ISourceReader<T> _reader;
    private readonly IBatchConsumer<T> _head;
    private readonly SourceOutput<T> _output;

    private readonly SideOutputs _sides;

    public SourceInput(ISourceReader<T> reader, IBatchConsumer<T> head, int batchSize, SideOutputs sides)
    {
        _reader = reader;
        _head = head;
        _sides = sides;
        _output = new SourceOutput<T>(head, batchSize, sides);
    }

    public bool Step(InputGate gate, TimeSpan maxWait)
    {
        while (gate.TryTake(TimeSpan.Zero, out _, out var mail)) mail!();
        var status = _reader.Poll(_output);
        _output.Flush();
        switch (status)
        {
            case SourceStatus.End:
                _head.Watermark(Watermarks.Max);
                _sides.Watermark(Watermarks.Max);
                _head.EndOfInput();
                _sides.EndOfInput();
                return false;
            case SourceStatus.NothingAvailable:
                var wait = maxWait < IdleWait ? maxWait : IdleWait;
                if (gate.TryTake(wait, out _, out var m)) m!();
                return true;
            default:
                return true;
        }
    }

    /// <summary>The reader, whose position a checkpoint saves.</summary>
    public object Reader => _reader;

    public void Dispose() => _reader.Dispose();
}

/// <summary>The input of a source subtask, whose reader a checkpoint covers.</summary>
internal interface ISourceInput
{
    object Reader { get; }
}

/// <summary>Takes messages from the gate into the chain's head.</summary>
internal sealed class GateInput : ISubtaskInput
{
    private readonly IInputProcessor _processor;
    private readonly Checkpointing.BarrierAligner? _aligner;
    private readonly Queue<StreamMessage> _released = new(); // held back during an alignment, now due

    public GateInput(IInputProcessor processor, Checkpointing.BarrierAligner? aligner = null)
    {
        _processor = processor;
        _aligner = aligner;
    }

    public bool Step(InputGate gate, TimeSpan maxWait)
    {
        if (_released.Count > 0) Handle(_released.Dequeue());
        else if (gate.TryTake(maxWait, out var message, out var mail))
        {
            if (mail != null) mail();
            else Handle(message!);
        }
        return !_processor.Finished;
    }

    private void Handle(StreamMessage message)
    {
        if (_aligner == null || _aligner.Admit(message, _released)) _processor.Process(message);
    }

    /// <summary>The coordinator abandoned checkpoint <paramref name="id"/>: stop holding channels back for it.</summary>
    public void AbortCheckpoint(long id) => _aligner?.Abort(id, _released);

    public void Dispose() { }
}
