namespace PyFlow.PyBridge.Workers;

/// <summary>
/// The interpreter workers run on: the driver's own <c>sys.executable</c> and <c>sys.path</c>,
/// so user modules import in workers exactly as in the driver.
/// </summary>
/// <param name="Executable">the interpreter (the driver's sys.executable)</param>
/// <param name="Path">directories put first on its import path (the driver's sys.path)</param>
/// <param name="Library">the driver's shared libpython, which thread mode embeds; null when it has none</param>
/// <param name="Version">the driver's major.minor ("3.11"), which an embedded libpython must match; null: not checked</param>
public sealed record PythonInterpreter(string Executable, IReadOnlyList<string> Path, string? Library = null, string? Version = null)
{
    /// <summary>Fails with a clear message when the executable does not exist.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Executable))
            throw new ArgumentException("no Python interpreter was given for the workers");
        if (!File.Exists(Executable))
            throw new FileNotFoundException($"the Python interpreter '{Executable}' does not exist; pass an existing python executable (the driver sends its sys.executable)", Executable);
    }
}
