using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Tests.Checkpointing;

/// <summary>
/// The executor hands a chain's operators to the checkpointer tail first; the checkpoint must still flush
/// them head first, or what a buffering head operator flushes would reach a buffering operator after it
/// once that one had already flushed, and follow the barrier (records the source position says were sent,
/// missing from every snapshot: lost on restore).
/// </summary>
public class SubtaskCheckpointerOrderTests
{
    private sealed class Recording(string name, List<string> calls) : ICheckpointedOperator
    {
        public void PrepareSnapshotPreBarrier(long checkpointId) => calls.Add($"prepare {name}");
        public void SnapshotState(long checkpointId, Stream output) => calls.Add($"snapshot {name}");
        public void RestoreState(Stream input) => calls.Add($"restore {name}");
    }

    /// <summary>Only Post and RunUntil exist; the checkpointer's Perform uses neither.</summary>
    private sealed class NoMail : IMailbox
    {
        public void Post(Action mail) => throw new InvalidOperationException("no mail expected");
        public void RunUntil(Func<bool> done, TimeSpan bound, string what) => throw new InvalidOperationException("no wait expected");
    }

    [Test]
    public void OperatorsAddedTailFirstArePreparedAndSnapshottedHeadFirst()
    {
        var calls = new List<string>();
        var checkpointer = new SubtaskCheckpointer("task", 0, 0, new NoMail(), enabled: true);
        for (var i = 2; i >= 0; i--) checkpointer.AddOperator(i, new Recording($"op{i}", calls));
        checkpointer.AddOperator(3, new object()); // not checkpointed: ignored
        var directory = Directory.CreateTempSubdirectory("pyflow-order-").FullName;
        try
        {
            checkpointer.Perform(1, directory);
            Assert.That(calls, Is.EqualTo(new[] { "prepare op0", "prepare op1", "prepare op2", "snapshot op0", "snapshot op1", "snapshot op2" }));

            calls.Clear();
            checkpointer.RestoreFrom = new Dictionary<string, byte[]> { ["op2"] = [], ["op0"] = [], ["op1"] = [] };
            checkpointer.Restore();
            Assert.That(calls, Is.EqualTo(new[] { "restore op0", "restore op1", "restore op2" }));
        }
        finally
        {
            // The state file is written off the thread: let it land (bounded) before the directory goes.
            var part = Path.Combine(directory, CheckpointLayout.PartFile(0, 0));
            for (var waited = 0; !File.Exists(part) && waited < 5000; waited += 20) Thread.Sleep(20);
            Directory.Delete(directory, recursive: true);
        }
    }
}
