namespace PyFlow.Engine.Sinks;

/// <summary>
/// The part file a file sink subtask is writing. It is written under its in-progress name and
/// only gets its final name through <see cref="PendingPartFile.Commit"/>, so a reader of the
/// directory never sees a final name on a file that is still growing.
/// </summary>
internal sealed class InProgressPartFile
{
    /// <summary>Write buffer: lines are small, so they reach the disk in large writes.</summary>
    private const int BufferSize = 64 * 1024;

    private readonly FileStream _stream;

    public InProgressPartFile(string inProgressPath, string finalPath, long now)
    {
        InProgressPath = inProgressPath;
        FinalPath = finalPath;
        // CreateNew: a name already taken is a bug in the counter, never something to overwrite.
        _stream = new FileStream(inProgressPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, BufferSize);
        CreatedAt = now;
        LastWrittenAt = now;
    }

    public string InProgressPath { get; }
    public string FinalPath { get; }

    /// <summary>Bytes written so far.</summary>
    public long Size { get; private set; }

    /// <summary>Processing time (epoch ms) the file was opened and last written.</summary>
    public long CreatedAt { get; }
    public long LastWrittenAt { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes, long now)
    {
        _stream.Write(bytes);
        Size += bytes.Length;
        LastWrittenAt = now;
    }

    /// <summary>
    /// Ends the file: everything written reaches the disk (as Flink's local writer syncs on
    /// closeForCommit), and it waits, still under its in-progress name, to be committed.
    /// </summary>
    public PendingPartFile CloseForCommit()
    {
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        return new PendingPartFile(InProgressPath, FinalPath);
    }

    /// <summary>Closes the file after a failure, leaving it under its in-progress name: it was never committed.</summary>
    public void Abort() => _stream.Dispose();
}
