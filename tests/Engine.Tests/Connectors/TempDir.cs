namespace PyFlow.Engine.Tests.Connectors;

/// <summary>A fresh directory under the system temp directory, deleted with everything in it.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pyflow-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="content"/> (UTF-8, no BOM) to a file of this directory and returns its full path.</summary>
    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Names of the files of this directory (or of <paramref name="sub"/>), in ordinal order.</summary>
    public string[] FileNames(string? sub = null) =>
        Directory.GetFiles(sub == null ? Path : System.IO.Path.Combine(Path, sub)).Select(f => System.IO.Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still held open by a failed test: the temp directory is cleaned by the OS */ }
    }
}
