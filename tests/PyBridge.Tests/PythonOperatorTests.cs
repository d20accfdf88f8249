using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Errors;
using PyFlow.PyBridge.Operators;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Tests;

/// <summary>Python operators inside a C# job, on real worker processes.</summary>
public class PythonOperatorTests
{
    private static readonly PyType Long = PyType.FromName("LONG");
    private static PythonInterpreter Interpreter => new(Repo.Python, new[] { Repo.PythonPackageDir }, Repo.PythonLibrary);

    private static DataStream<PyRecord> Python(DataStream<PyRecord> input, PyType inputType, PythonExecutionMode mode, params WorkerStage[] stages)
    {
        var chain = new PythonChain(string.Join(" -> ", stages.Select(s => s.Name)), inputType, stages);
        return input.Transform<PyRecord>(chain.Name, (ctx, output) =>
            new PythonOperator(ctx, output, chain, Interpreter, new PythonOptions { ArrowBatchSize = 1000, Mode = mode }, false, Console.Error.WriteLine));
    }

    private static DataStream<PyRecord> Python(DataStream<PyRecord> input, PyType inputType, params WorkerStage[] stages) =>
        Python(input, inputType, PythonExecutionMode.Process, stages);

    /// <summary>The same Python functions in both execution modes, on the same input, give the same (exact) results;
    /// at parallelism 4 in thread mode, four subtasks share one interpreter and take the GIL in turns.</summary>
    [TestCase(1, PythonExecutionMode.Process)]
    [TestCase(2, PythonExecutionMode.Process)]
    [TestCase(1, PythonExecutionMode.Thread)]
    [TestCase(4, PythonExecutionMode.Thread)]
    public async Task AFusedChainOfMapFilterFlatMapGivesExactResults(int parallelism, PythonExecutionMode mode)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        var input = env.FromCollection(Enumerable.Range(0, 5000).Select(i => PyRecord.OfLong(i))).Rebalance();
        var output = Python(input, Long, mode,
            new WorkerStage("map", "Map", Pickles.Of("lambda x: x * 2 + 1"), Long),
            new WorkerStage("filter", "Filter", Pickles.Of("lambda x: x % 3 != 0"), Long),
            new WorkerStage("flat_map", "Flat Map", Pickles.Of("lambda x: [x, -x]"), Long));
        var results = new List<long>();
        await foreach (var r in output.ExecuteAndCollectAsync()) results.Add(r.Bits);

        var expected = Enumerable.Range(0, 5000).Select(i => i * 2L + 1).Where(x => x % 3 != 0).SelectMany(x => new[] { x, -x });
        Assert.That(results.Order(), Is.EqualTo(expected.Order()));
    }

    [TestCase(PythonExecutionMode.Process)]
    [TestCase(PythonExecutionMode.Thread)]
    public void AnExceptionInAPythonFunctionFailsTheJobWithItsTraceback(PythonExecutionMode mode)
    {
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var input = env.FromCollection(Enumerable.Range(0, 100).Select(i => PyRecord.OfLong(i)));
        Python(input, Long, mode, new WorkerStage("map", "Divide", Pickles.Of("lambda x: 10 // (x - 42)"), Long)).AddSink((_, _) => { });
        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        var py = e!.InnerException as PythonFunctionException;
        Assert.That(py, Is.Not.Null, e.ToString());
        Assert.That(py!.PythonType, Is.EqualTo("ZeroDivisionError"));
        Assert.That(py.Stage, Is.EqualTo("Divide"));
        Assert.That(py.PythonTraceback, Does.Contain("in <lambda>").And.Contain("ZeroDivisionError: integer division or modulo by zero"));
    }

    [Test]
    public void AMissingLibpythonForThreadModeIsAClearError()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var missing = new PythonInterpreter(Repo.Python, new[] { Repo.PythonPackageDir }, "/nonexistent/libpython3.11.so.1.0");
        var chain = new PythonChain("Map", Long, new[] { new WorkerStage("map", "Map", Pickles.Of("lambda x: x"), Long) });
        env.FromCollection(new[] { PyRecord.OfLong(1) })
            .Transform<PyRecord>("Map", (ctx, output) => new PythonOperator(ctx, output, chain, missing, new PythonOptions { Mode = PythonExecutionMode.Thread }, false, Console.Error.WriteLine))
            .AddSink((_, _) => { });
        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        // Either nothing is embedded yet (the library is missing), or another Python already is: both name the path.
        Assert.That(e!.Message, Does.Contain("/nonexistent/libpython3.11.so.1.0"));
    }

    [Test]
    public void AMissingInterpreterIsAClearError()
    {
        var e = Assert.Throws<FileNotFoundException>(() => new PythonInterpreter("/nonexistent/python3", Array.Empty<string>()).Validate());
        Assert.That(e!.Message, Does.Contain("/nonexistent/python3"));
    }
}
