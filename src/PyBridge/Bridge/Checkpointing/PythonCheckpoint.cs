using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.State;
using PyFlow.Engine.Timers;
using PyFlow.PyBridge.Records;

namespace PyFlow.PyBridge.Checkpointing;

/// <summary>
/// The snapshot blob of a Python operator. A stateless one (a map chain, a non-keyed co-process)
/// writes nothing; a keyed one writes the engine's <see cref="KeyedOperatorState"/> of its backend
/// (a reduce's accumulators as PyRecords, a process function's pickled state per key) and timers.
/// Python workers keep nothing between calls, so this is all of a Python operator's state.
/// </summary>
internal static class PythonCheckpoint
{
    public static void Write(Stream output, IKeyedStateBackend<KeyBytes>? state, InternalTimerService<KeyBytes>? timers)
    {
        if (state != null) KeyedOperatorState.Write(output, state, timers);
    }

    /// <summary>Restores what <see cref="Write"/> wrote; an empty blob (a stateless operator's) restores nothing.</summary>
    public static void Read(Stream input, IKeyedStateBackend<KeyBytes>? state, InternalTimerService<KeyBytes>? timers)
    {
        if (input.Length == 0) return;
        if (state == null)
            throw new InvalidDataException("the checkpoint holds keyed state for a Python operator that has none now: was the job changed since the checkpoint?");
        KeyedOperatorState.Read(input, state, timers);
    }
}
