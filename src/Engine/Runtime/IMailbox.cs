namespace PyFlow.Engine.Runtime;

/// <summary>
/// Lets helpers of an operator (a thread reading a Python worker's results, say) hand work
/// back to the subtask's thread, and lets the operator wait for that work with a bound.
/// </summary>
public interface IMailbox
{
    /// <summary>Queues <paramref name="mail"/> to run on the subtask's thread. Never blocks.</summary>
    void Post(Action mail);

    /// <summary>
    /// Runs mail on the calling (subtask) thread until <paramref name="done"/> holds.
    /// Throws <see cref="TimeoutException"/> naming <paramref name="what"/> when
    /// <paramref name="bound"/> passes first; throws when the job is cancelled.
    /// </summary>
    void RunUntil(Func<bool> done, TimeSpan bound, string what);
}
