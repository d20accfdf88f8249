using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// Barrier handling at a subtask fed by channels. Exactly-once: from the first barrier of a
/// checkpoint, every channel that delivered it is held back (its messages are kept, in order)
/// until all channels still open have delivered it; then the subtask takes its part of the
/// checkpoint and the held messages are released. At-least-once: nothing is held; the part is
/// taken when the last barrier arrives. A channel that ended counts as delivered.
/// </summary>
/// <remarks>
/// The gate is one shared queue, so holding a channel back means keeping its messages here.
/// This is bounded in time by the checkpoint timeout (an abandoned checkpoint releases them)
/// and in practice by the skew between channels, as Flink's aligned checkpoints are.
/// </remarks>
internal sealed class BarrierAligner
{
    private readonly bool[] _arrived;
    private readonly bool[] _ended;
    private readonly bool _exactlyOnce;
    private readonly Action<long, string> _perform;
    private readonly Queue<StreamMessage> _held = new();
    private long _current = -1;
    private string _directory = "";
    private long _lastDone;

    public BarrierAligner(int numChannels, bool exactlyOnce, Action<long, string> perform)
    {
        _arrived = new bool[numChannels];
        _ended = new bool[numChannels];
        _exactlyOnce = exactlyOnce;
        _perform = perform;
    }

    /// <summary>
    /// Looks at a message before the chain sees it. Returns true when the chain should process
    /// it now; false when it was a barrier or was held back. Messages released by a finished
    /// alignment are added to <paramref name="released"/>, to be processed next, in order.
    /// </summary>
    public bool Admit(StreamMessage message, Queue<StreamMessage> released)
    {
        var channel = message.Channel;
        if (_current >= 0 && _exactlyOnce && _arrived[channel])
        {
            _held.Enqueue(message);
            return false;
        }
        switch (message)
        {
            case CheckpointBarrierMessage barrier:
                OnBarrier(barrier, released);
                return false;
            case EndOfInputMessage:
                _ended[channel] = true;
                TryComplete(released);
                return true;
            default:
                return true;
        }
    }

    /// <summary>The coordinator abandoned checkpoint <paramref name="id"/>: release its held messages.</summary>
    public void Abort(long id, Queue<StreamMessage> released)
    {
        if (_current == id) Release(released);
        _lastDone = Math.Max(_lastDone, id); // its barriers still on the way are ignored
    }

    private void OnBarrier(CheckpointBarrierMessage barrier, Queue<StreamMessage> released)
    {
        if (barrier.CheckpointId <= _lastDone) return; // of a checkpoint this task already finished or gave up
        if (barrier.CheckpointId < _current) return;
        if (barrier.CheckpointId > _current)
        {
            if (_current >= 0) Release(released); // the older checkpoint can no longer complete here
            _current = barrier.CheckpointId;
            _directory = barrier.Directory;
        }
        _arrived[barrier.Channel] = true;
        TryComplete(released);
    }

    private void TryComplete(Queue<StreamMessage> released)
    {
        if (_current < 0) return;
        for (var c = 0; c < _arrived.Length; c++)
            if (!_arrived[c] && !_ended[c]) return;
        var id = _current;
        var dir = _directory;
        Release(released);
        _perform(id, dir);
    }

    private void Release(Queue<StreamMessage> released)
    {
        _lastDone = Math.Max(_lastDone, _current);
        _current = -1;
        Array.Clear(_arrived);
        while (_held.Count > 0) released.Enqueue(_held.Dequeue());
    }
}
