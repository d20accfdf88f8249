namespace PyFlow.Engine.State;

/// <summary>
/// A job restored from a checkpoint declares a state under a name the checkpoint holds with another
/// kind or type (Flink refuses this too, at state registration): reading the old values as the new
/// type would fail later, deep in the user function, or quietly give wrong results.
/// </summary>
public sealed class IncompatibleStateException : InvalidOperationException
{
    public IncompatibleStateException(StateDescriptorInfo inCheckpoint, StateDescriptorInfo declared)
        : base($"state '{declared.Name}' is declared as {declared} by this job, but the checkpoint it was restored from holds " +
               $"'{inCheckpoint.Name}' as {inCheckpoint}: a restored state keeps its kind and type. Give the new state another name, " +
               "or start the job without the checkpoint")
    {
        InCheckpoint = inCheckpoint;
        Declared = declared;
    }

    /// <summary>The descriptor as the checkpoint recorded it.</summary>
    public StateDescriptorInfo InCheckpoint { get; }

    /// <summary>The descriptor the restored job declares.</summary>
    public StateDescriptorInfo Declared { get; }
}
