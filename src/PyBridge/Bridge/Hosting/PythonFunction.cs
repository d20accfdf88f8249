using System.Text;

namespace PyFlow.PyBridge.Hosting;

/// <summary>
/// A Python function for a C# pipeline, in one of three forms: source text that defines it, a
/// <c>module:function</c> reference (the module's directory goes on the interpreter's path), or
/// cloudpickled bytes. The function runs in a worker process or the embedded interpreter, per the
/// host's mode; it never crosses into C# as a Python object.
/// <example><code>
/// var score = PythonFunction.FromSource("import numpy as np\ndef score(s):\n    return np.log1p(s)", "score");
/// </code></example>
/// </summary>
public sealed class PythonFunction
{
    private PythonFunction(string form, byte[] payload, string? name, string description)
    {
        Form = form;
        Payload = payload;
        Name = name;
        Description = description;
    }

    internal string Form { get; }
    internal byte[] Payload { get; }
    internal string? Name { get; }

    /// <summary>What the function is, for names and errors.</summary>
    public string Description { get; }

    /// <summary><paramref name="source"/> is run once per subtask; it must define <paramref name="functionName"/>.</summary>
    public static PythonFunction FromSource(string source, string functionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        return new PythonFunction("source", Encoding.UTF8.GetBytes(source), functionName, functionName);
    }

    /// <summary>A function of an importable module, as <c>"package.module:function"</c>.</summary>
    public static PythonFunction FromModule(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var colon = reference.IndexOf(':');
        if (colon <= 0 || colon == reference.Length - 1)
            throw new ArgumentException($"'{reference}' is not a 'module:function' reference", nameof(reference));
        return new PythonFunction("module", Encoding.UTF8.GetBytes(reference), null, reference);
    }

    /// <summary>A function cloudpickled by Python (<c>cloudpickle.dumps(fn)</c>).</summary>
    public static PythonFunction FromPickle(byte[] cloudpickled, string description = "pickled function")
    {
        ArgumentNullException.ThrowIfNull(cloudpickled);
        if (cloudpickled.Length == 0) throw new ArgumentException("the pickled function is empty", nameof(cloudpickled));
        return new PythonFunction("pickle", cloudpickled, null, description);
    }
}
