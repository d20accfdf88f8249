using System.Diagnostics;
using PyFlow.Engine.Api;
using PyFlow.PyBridge.Operators;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Hosting;

/// <summary>
/// Python functions inside a C# pipeline: which interpreter, which execution mode, and the
/// operators that call them. Values cross as typed Arrow columns (<see cref="PyType"/>), or as
/// strings the function parses; nothing that holds a Python reference reaches C#.
/// <example><code>
/// var python = PythonHost.Detect(PythonExecutionMode.Thread, extraPath: new[] { "models" });
/// var scores = amounts.MapPython(python, PythonFunction.FromModule("fraud:score"), PyType.FromName("DOUBLE"),
///     PyType.FromName("DOUBLE"), x => x, o => (double)o!, vectorized: true);
/// </code></example>
/// </summary>
public sealed class PythonHost
{
    public PythonHost(PythonInterpreter interpreter, PythonExecutionMode mode = PythonExecutionMode.Process, PythonOptions? options = null)
    {
        interpreter.Validate();
        Interpreter = interpreter;
        Options = (options ?? new PythonOptions()) with { Mode = mode };
    }

    public PythonInterpreter Interpreter { get; }
    public PythonOptions Options { get; }

    /// <summary>
    /// Whether the interpreter can import pandas, which vectorized functions need. <see cref="Detect"/> asks the
    /// interpreter; a host made from a <see cref="PythonInterpreter"/> directly assumes it can.
    /// </summary>
    public bool HasPandas { get; init; } = true;

    /// <summary>Worker output (prints, logging) goes here, line by line; stderr by default.</summary>
    public Action<string> Log { get; init; } = Console.Error.WriteLine;

    /// <summary>
    /// Finds the interpreter by asking <paramref name="executable"/> (default <c>python3</c> on PATH) for its
    /// sys.executable, sys.path and libpython. <paramref name="extraPath"/> directories come first on the path.
    /// </summary>
    public static PythonHost Detect(PythonExecutionMode mode = PythonExecutionMode.Process, string executable = "python3",
        IEnumerable<string>? extraPath = null, PythonOptions? options = null)
    {
        // The extra path goes first, as workers will have it, before asking which modules can be imported.
        const string probe = "import sys, os, sysconfig, importlib.util\n" +
                             "own = [p for p in sys.path if p and os.path.isdir(p)]\n" +
                             "sys.path[0:0] = sys.argv[1:]\n" +
                             "d = sysconfig.get_config_var('LIBDIR') or ''\n" +
                             "lib = next((os.path.join(d, n) for n in (sysconfig.get_config_var('INSTSONAME'), sysconfig.get_config_var('LDLIBRARY')) if n and os.path.exists(os.path.join(d, n))), '')\n" +
                             "print(sys.executable); print(lib); print('%d.%d' % sys.version_info[:2])\n" +
                             "print(','.join(m for m in ('pyflow', 'numpy', 'pandas') if importlib.util.find_spec(m) is None))\n" +
                             "[print(p) for p in own]";
        var extra = (extraPath ?? Array.Empty<string>()).Select(Path.GetFullPath).ToList();
        var psi = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(probe);
        foreach (var dir in extra) psi.ArgumentList.Add(dir);
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FileNotFoundException($"no Python interpreter '{executable}' could be started ({e.Message}); install Python 3.11 or pass its path", executable, e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(true);
                throw new TimeoutException($"'{executable}' did not answer within 30 s");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"'{executable}' failed ({process.ExitCode}): {errors.Result}");
            var lines = output.Result.TrimEnd('\n').Split('\n'); // keep an empty library line in place
            var interpreterPath = lines.Length > 0 ? lines[0] : "";
            if (lines.Length < 4) throw new InvalidOperationException($"'{executable}' did not describe itself (got '{output.Result}'); is it a Python 3 interpreter?");
            var missing = lines[3].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            if (missing.Contains("pyflow") || missing.Contains("numpy"))
                throw new InvalidOperationException(
                    $"the Python '{executable}' ({interpreterPath}) cannot import {string.Join(" and ", missing.Where(m => m != "pandas"))}, " +
                    "which PyFlow's Python side needs (workers run `python -m pyflow.worker`). Install the pyflow package (it brings " +
                    "numpy) into that Python, e.g. `pip install pyflow-*.whl`, pass a Python that has it (a PyFlow checkout's .venv/bin/python), " +
                    "or add the directory holding the pyflow package to extraPath.");
            var path = extra.Concat(lines.Skip(4).Where(p => p.Length > 0)).Distinct().ToList();
            var library = lines[1].Length > 0 ? lines[1] : null;
            return new PythonHost(new PythonInterpreter(interpreterPath, path, library, lines[2]), mode, options)
            {
                HasPandas = !missing.Contains("pandas"),
            };
        }
    }
}

/// <summary>The operators that run a <see cref="PythonFunction"/> inside a C# pipeline.</summary>
public static class PythonStreamExtensions
{
    /// <summary>
    /// Maps every record through a Python function: <paramref name="toPython"/> gives the value the function
    /// sees (of <paramref name="inputType"/>), <paramref name="fromPython"/> turns its result (of
    /// <paramref name="outputType"/>) back. With <paramref name="vectorized"/> the function gets a whole batch
    /// as a pandas Series and returns one.
    /// </summary>
    public static DataStream<TOut> MapPython<TIn, TOut>(this DataStream<TIn> stream, PythonHost host, PythonFunction function,
        PyType inputType, PyType outputType, Func<TIn, object?> toPython, Func<object?, TOut> fromPython, bool vectorized = false,
        string? name = null)
    {
        var opName = name ?? $"Python {function.Description}";
        if (vectorized && !host.HasPandas)
            throw new InvalidOperationException(
                $"'{opName}' is vectorized, so its function gets pandas Series, but the Python {host.Interpreter.Executable} cannot " +
                "import pandas: install pandas into it, or pass vectorized: false to get one value per call.");
        var chain = new PythonChain(opName, inputType, new[] { new WorkerStage(vectorized ? "map_pandas" : "map", opName, function, outputType) });
        chain.Validate();
        return stream
            .Map(x => PyRecord.FromObject(toPython(x), inputType), $"{opName} (in)")
            .Transform<PyRecord>(opName, (ctx, output) => new PythonOperator(ctx, output, chain, host.Interpreter, host.Options,
                ctx.Options.RuntimeMode == RuntimeExecutionMode.Batch, host.Log))
            .Map(r => fromPython(r.ToObject(outputType)), $"{opName} (out)");
    }
}
