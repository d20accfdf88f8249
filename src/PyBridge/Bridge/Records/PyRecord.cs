namespace PyFlow.PyBridge.Records;

/// <summary>
/// A record of a Python stream inside the engine: its value (a C# value of the stream's
/// declared type, or pickle bytes) and, after key_by, its key. A struct, so a batch of
/// records is one array with no per-record allocation beyond the value itself.
/// </summary>
public readonly record struct PyRecord(object? Value, KeyBytes Key = default)
{
    public bool HasKey => Key.Bytes != null;
}
