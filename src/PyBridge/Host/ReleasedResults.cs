using System.Collections.Concurrent;

namespace PyFlow.Host;

/// <summary>
/// What one collect or print sink has shown the driver, per subtask: the newest checkpoint epoch
/// whose results went out (<see cref="long.MaxValue"/> once the subtask's input ended and it sent
/// everything). It lives as long as the job on this host, across restarts, because the driver's
/// view does: a restored sink re-releases the epochs in its checkpoint, and this makes that
/// idempotent (an epoch the driver already has is skipped). Checkpoint ids only grow within a job,
/// so one number per subtask says it all.
/// </summary>
internal sealed class ReleasedResults
{
    private readonly ConcurrentDictionary<int, long> _upTo = new();

    /// <summary>Whether epoch <paramref name="epoch"/> of <paramref name="subtask"/> already reached the driver.</summary>
    public bool Shown(int subtask, long epoch) => epoch <= _upTo.GetValueOrDefault(subtask, long.MinValue);

    /// <summary>Epoch <paramref name="epoch"/> of <paramref name="subtask"/> (and every one before it) went out.</summary>
    public void MarkShown(int subtask, long epoch) => _upTo.AddOrUpdate(subtask, epoch, (_, known) => Math.Max(known, epoch));
}
