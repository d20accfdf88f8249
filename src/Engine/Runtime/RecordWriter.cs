using PyFlow.Engine.Partitioning;

namespace PyFlow.Engine.Runtime;

/// <summary>
/// The end of a chain that feeds other subtasks: splits batches by the partitioner into one
/// buffer per downstream subtask and sends a buffer when it is full, when the buffer timeout
/// passes, or before a watermark or the end of input (so nothing overtakes a watermark).
/// </summary>
internal sealed class RecordWriter<T> : IBatchConsumer<T>, ISideChannel, Checkpointing.IBarrierOutput
{
    private readonly IPartitioner<T> _partitioner;
    private readonly InputGate[] _targets;
    private readonly int _channelIndex;
    private readonly Batch<T>?[] _buffers;
    private readonly int _batchSize;
    private readonly ProcessingTimers _timers;
    private readonly long _timeoutMs;
    private readonly bool _forward;
    private bool _flushScheduled;

    public RecordWriter(IPartitioner<T> partitioner, InputGate[] targets, int channelIndex, OperatorContext context)
    {
        _partitioner = partitioner.CreateForSubtask(context.SubtaskIndex, context.Parallelism);
        _targets = targets;
        _channelIndex = channelIndex;
        _buffers = new Batch<T>?[targets.Length];
        _batchSize = context.Options.BatchSize;
        _timers = context.Timers;
        _timeoutMs = (long)context.Options.BufferTimeout.TotalMilliseconds;
        _forward = partitioner is ForwardPartitioner<T>;
    }

    public void Push(Batch<T> batch)
    {
        if (batch.Count == 0) return;
        if (_forward || _targets.Length == 1)
        {
            var channel = _targets.Length == 1 ? 0 : _partitioner.SelectChannel(batch.Values[0], _targets.Length);
            Send(channel, batch);
            return;
        }
        if (batch.WireForm != null && _partitioner is RebalancePartitioner<T> rebalance)
        {
            // A batch still in its wire form goes round robin whole: decoding it only to deal its records
            // out one by one would cost more than the finer balance is worth (the order across channels
            // is not kept by rebalance either way).
            Send(rebalance.SelectChannel(default!, _targets.Length), batch);
            return;
        }
        if (_partitioner.IsBroadcast)
        {
            for (var c = 0; c < _targets.Length; c++) Send(c, batch);
            return;
        }
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            var c = _partitioner.SelectChannel(values[i], _targets.Length);
            var buffer = _buffers[c] ??= new Batch<T>(_batchSize);
            buffer.Add(values[i], timestamps[i]);
            if (buffer.IsFull)
            {
                _buffers[c] = null;
                Write(c, buffer);
            }
        }
        ScheduleFlush();
    }

    public void Watermark(long watermark)
    {
        FlushAll();
        for (var c = 0; c < _targets.Length; c++)
            _targets[c].Write(new WatermarkMessage { Channel = _channelIndex, Watermark = watermark });
    }

    public void WatermarkStatus(bool idle)
    {
        FlushAll();
        for (var c = 0; c < _targets.Length; c++)
            _targets[c].Write(new WatermarkStatusMessage { Channel = _channelIndex, Idle = idle });
    }

    public void Barrier(long checkpointId, string directory)
    {
        FlushAll();
        for (var c = 0; c < _targets.Length; c++)
            _targets[c].Write(new CheckpointBarrierMessage { Channel = _channelIndex, CheckpointId = checkpointId, Directory = directory });
    }

    public void EndOfInput()
    {
        FlushAll();
        for (var c = 0; c < _targets.Length; c++)
            _targets[c].Write(new EndOfInputMessage { Channel = _channelIndex });
    }

    private void Send(int channel, Batch<T> batch)
    {
        // A whole batch keeps order behind anything buffered for the same channel.
        if (_buffers[channel] is { } pending)
        {
            _buffers[channel] = null;
            Write(channel, pending);
        }
        Write(channel, batch);
    }

    private void Write(int channel, Batch<T> batch) =>
        _targets[channel].Write(new BatchMessage<T> { Channel = _channelIndex, Batch = batch });

    private void ScheduleFlush()
    {
        if (_flushScheduled) return;
        _flushScheduled = true;
        _timers.Schedule(_timers.Now + _timeoutMs, _ =>
        {
            _flushScheduled = false;
            FlushAll();
        });
    }

    private void FlushAll()
    {
        for (var c = 0; c < _buffers.Length; c++)
        {
            if (_buffers[c] is { Count: > 0 } buffer)
            {
                _buffers[c] = null;
                Write(c, buffer);
            }
        }
    }
}
