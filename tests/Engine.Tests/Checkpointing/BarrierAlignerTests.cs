using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Tests.Checkpointing;

/// <summary>The aligner alone, fed messages by hand: what is held, when the part is taken, what is released.</summary>
public class BarrierAlignerTests
{
    private static BatchMessage<int> Data(int channel, int value)
    {
        var b = new Batch<int>(1);
        b.Add(value, Batch<int>.NoTimestamp);
        return new BatchMessage<int> { Channel = channel, Batch = b };
    }

    private static CheckpointBarrierMessage Barrier(int channel, long id) => new() { Channel = channel, CheckpointId = id, Directory = "d" };

    /// <summary>Runs messages through the aligner as GateInput does; returns the processed values and the checkpoints taken, in order.</summary>
    private static List<string> Run(BarrierAligner aligner, List<string> events, params StreamMessage[] messages)
    {
        var released = new Queue<StreamMessage>();
        foreach (var m in messages)
        {
            Handle(m);
            while (released.Count > 0) Handle(released.Dequeue());
        }
        return events;

        void Handle(StreamMessage m)
        {
            if (!aligner.Admit(m, released)) return;
            events.Add(m switch
            {
                BatchMessage<int> d => $"{d.Channel}:{d.Batch.Values[0]}",
                EndOfInputMessage e => $"{e.Channel}:end",
                _ => m.GetType().Name,
            });
        }
    }

    [Test]
    public void ExactlyOnceHoldsChannelsThatDeliveredTheBarrierUntilAllHave()
    {
        var events = new List<string>();
        var aligner = new BarrierAligner(3, exactlyOnce: true, (id, _) => events.Add($"checkpoint {id}"));
        Run(aligner, events,
            Data(0, 1), Barrier(0, 1), Data(0, 2), Data(1, 3), Barrier(1, 1), Data(1, 4), Data(2, 5), Data(0, 6), Barrier(2, 1), Data(2, 7));
        Assert.That(events, Is.EqualTo(new[] { "0:1", "1:3", "2:5", "checkpoint 1", "0:2", "1:4", "0:6", "2:7" }));
    }

    [Test]
    public void AtLeastOnceHoldsNothingAndTakesThePartAtTheLastBarrier()
    {
        var events = new List<string>();
        var aligner = new BarrierAligner(2, exactlyOnce: false, (id, _) => events.Add($"checkpoint {id}"));
        Run(aligner, events, Barrier(0, 1), Data(0, 2), Data(1, 3), Barrier(1, 1), Data(1, 4));
        Assert.That(events, Is.EqualTo(new[] { "0:2", "1:3", "checkpoint 1", "1:4" }));
    }

    [Test]
    public void AnEndedChannelCountsAsDeliveredAndANewerBarrierEndsAnOlderAlignment()
    {
        var events = new List<string>();
        var aligner = new BarrierAligner(2, exactlyOnce: true, (id, _) => events.Add($"checkpoint {id}"));
        Run(aligner, events, Barrier(0, 1), Data(0, 1), new EndOfInputMessage { Channel = 1 });
        // The part is taken before the chain sees the end: the snapshot never holds end-of-input effects.
        Assert.That(events, Is.EqualTo(new[] { "checkpoint 1", "1:end", "0:1" }));

        events.Clear();
        var three = new BarrierAligner(3, exactlyOnce: true, (id, _) => events.Add($"checkpoint {id}"));
        // Checkpoint 1 never reaches channel 2 (abandoned upstream); checkpoint 2 supersedes it.
        Run(three, events, Barrier(0, 1), Data(0, 1), Barrier(1, 1), Barrier(0, 2), Barrier(1, 2), Barrier(2, 2), Barrier(2, 1), Data(2, 9));
        Assert.That(events, Is.EqualTo(new[] { "0:1", "checkpoint 2", "2:9" }));
    }

    [Test]
    public void AnAbortReleasesTheHeldChannelsAndLateBarriersOfItAreIgnored()
    {
        var events = new List<string>();
        var aligner = new BarrierAligner(2, exactlyOnce: true, (id, _) => events.Add($"checkpoint {id}"));
        var released = new Queue<StreamMessage>();
        Assert.That(aligner.Admit(Barrier(0, 1), released), Is.False);
        Assert.That(aligner.Admit(Data(0, 1), released), Is.False, "held");
        aligner.Abort(1, released);
        Assert.That(released.Select(m => ((BatchMessage<int>)m).Batch.Values[0]), Is.EqualTo(new[] { 1 }));
        Assert.That(aligner.Admit(Barrier(1, 1), released), Is.False);
        Assert.That(aligner.Admit(Data(0, 2), released), Is.True, "no longer held");
        Assert.That(events, Is.Empty, "the abandoned checkpoint is never taken");
    }
}
