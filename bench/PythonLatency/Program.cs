// Latency of a Python map (issues 4 and 5): a generator at a steady 20,000 records/s, each record
// carrying its creation time, through map(lambda x: x * 2 + 1) in Python, to a sink that records
// creation-to-sink latency; process mode and thread mode, with python.fn-execution.bundle.time = 5 ms.
// Baseline in the same run: the same pipeline with the map in C#.
//   dotnet run -c Release --project bench/PythonLatency [python-executable] [seconds]
using System.Diagnostics;
using PyFlow.Engine.Api;
using PyFlow.PyBridge;
using PyFlow.PyBridge.Hosting;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

var python = args.Length > 0 ? args[0] : "python3";
var seconds = args.Length > 1 ? int.Parse(args[1]) : 5;
const double Rate = 20_000;
var records = (long)(Rate * seconds);
var repoPython = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../python"));

double[] Run(string label, Func<DataStream<long>, DataStream<long>> map)
{
    var env = new StreamExecutionEnvironment { Parallelism = 1 };
    env.Options.BufferTimeout = TimeSpan.FromMilliseconds(1);
    var latencies = new List<double>((int)records);
    // Each record is its creation time (Stopwatch ticks); the Python function maps it to 2x+1, undone in the sink.
    map(env.FromGenerator(_ => Stopwatch.GetTimestamp(), records, Rate))
        .AddSink((v, _) => latencies.Add((Stopwatch.GetTimestamp() - (v - 1) / 2) * 1000.0 / Stopwatch.Frequency));
    env.ExecuteAsync().GetAwaiter().GetResult();
    var warm = latencies.Skip(latencies.Count / 5).Order().ToArray(); // the first fifth warms up (worker start, JIT)
    double P(double q) => warm[(int)Math.Min(warm.Length - 1, q * warm.Length)];
    Console.WriteLine($"{label,-28}: p50 {P(0.50),7:0.00} ms   p99 {P(0.99),7:0.00} ms   max {warm[^1],7:0.00} ms   ({latencies.Count} records at {Rate:N0}/s)");
    return warm;
}

var options = new PythonOptions { BundleTimeMs = 5 };
var lng = PyType.FromName("LONG");
var function = PythonFunction.FromSource("def f(x):\n    return x * 2 + 1\n", "f");
Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd} | {Environment.ProcessorCount} cores | bundle.time 5 ms");
Run("C# map (baseline)", s => s.Map(x => x * 2 + 1));
foreach (var mode in new[] { PythonExecutionMode.Process, PythonExecutionMode.Thread })
{
    var host = PythonHost.Detect(mode, python, new[] { repoPython }, options);
    Run($"Python map, {mode.ToString().ToLowerInvariant()} mode", s => s.MapPython(host, function, lng, lng, x => x, o => (long)o!));
}
// Issue 5 names no bundle time for its target; thread mode with a 1 ms bundle time as well:
var fast = PythonHost.Detect(PythonExecutionMode.Thread, python, new[] { repoPython }, new PythonOptions { BundleTimeMs = 1 });
Run("Python map, thread, 1 ms", s => s.MapPython(fast, function, lng, lng, x => x, o => (long)o!));
Console.WriteLine("targets: p99 <= 20 ms in process mode with bundle.time 5 ms (issue 4), <= 5 ms in thread mode (issue 5)");
