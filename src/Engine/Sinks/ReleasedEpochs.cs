using System.Collections.Concurrent;

namespace PyFlow.Engine.Sinks;

/// <summary>
/// What one collect or print sink has shown its reader (the driver, or the caller of
/// <c>ExecuteAndCollectAsync</c>), per subtask: the newest checkpoint epoch
/// whose results went out (<see cref="long.MaxValue"/> once the subtask's input ended and it sent
/// everything). It lives as long as the job, across restarts, because the reader's
/// view does: a restored sink re-releases the epochs in its checkpoint, and this makes that
/// idempotent (an epoch the reader already has is skipped). Checkpoint ids only grow within a job,
/// so one number per subtask says it all.
/// </summary>
public sealed class ReleasedEpochs
{
    private readonly ConcurrentDictionary<int, long> _upTo = new();
    private readonly ConcurrentDictionary<int, bool> _firstRestoreTaken = new();

    /// <summary>
    /// The job resumes on a new engine host after the old one died (the driver restarted it from a checkpoint): the
    /// driver has already shown what that checkpoint held, since the old host released it when the checkpoint
    /// completed. So the restore at the start skips it rather than show it twice. The one case this loses is an old
    /// host that died between the checkpoint's completion and that release (docs/ARCHITECTURE.md, "Recovery").
    /// </summary>
    public bool RestoredResultsShown { get; init; }

    /// <summary>True once per subtask, for its first restore, when <see cref="RestoredResultsShown"/>.</summary>
    public bool TakeFirstRestoreAsShown(int subtask) => RestoredResultsShown && _firstRestoreTaken.TryAdd(subtask, true);

    /// <summary>Whether epoch <paramref name="epoch"/> of <paramref name="subtask"/> already reached the reader.</summary>
    public bool Shown(int subtask, long epoch) => epoch <= _upTo.GetValueOrDefault(subtask, long.MinValue);

    /// <summary>Epoch <paramref name="epoch"/> of <paramref name="subtask"/> (and every one before it) went out.</summary>
    public void MarkShown(int subtask, long epoch) => _upTo.AddOrUpdate(subtask, epoch, (_, known) => Math.Max(known, epoch));
}
