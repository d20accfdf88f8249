// A C# program hosting a Python model in a PyFlow pipeline:
//   payments (CSV) -> score each batch in Python (numpy, vectorized) -> key by account
//   -> 10-minute sliding window (1-minute slide) of scores -> alerts (files and stdout).
// Usage: dotnet run --project examples/csharp-host -- <payments.csv> <alerts-dir> [process|thread] [python3]
using PyFlow.Engine.Api;
using PyFlow.Engine.Operators;
using PyFlow.Engine.State;
using PyFlow.Engine.Windowing;
using PyFlow.Engine.Windowing.Assigners;
using PyFlow.PyBridge.Hosting;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: csharp-host <payments.csv> <alerts-dir> [process|thread] [python-executable]");
    return 2;
}
var payments = args[0];
var alertsDir = args[1];
var mode = args.Length > 2 && args[2] == "thread" ? PythonExecutionMode.Thread : PythonExecutionMode.Process;
var python = args.Length > 3 ? args[3] : "python3";

// The model's module lives next to this program; the host puts its directory on the interpreter's path.
var modelDir = Path.Combine(AppContext.BaseDirectory, "model");
var host = PythonHost.Detect(mode, python, new[] { modelDir });

var env = new StreamExecutionEnvironment { Parallelism = 2 };
var text = PyType.FromName("STRING");
var alerts = env.ReadCsvFile(payments, f => new Payment(long.Parse(f[0]), f[1], double.Parse(f[2]), int.Parse(f[3])),
        new PyFlow.Engine.Sources.CsvOptions { SkipHeader = true })
    .AssignTimestampsAndWatermarks(WatermarkStrategy<Payment>.ForBoundedOutOfOrderness(TimeSpan.FromSeconds(30)).WithTimestampAssigner(p => p.Ts))
    .MapPython(host, PythonFunction.FromModule("fraud:score"), text, text, p => p.ToCsv(), o => Scored.Parse((string)o!),
        vectorized: true, name: "Fraud Score")
    .KeyBy(s => s.Account)
    .Window(SlidingWindows<Scored>.OfEventTime(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)))
    .Aggregate(new ScoreStats(), new ToAlert())
    .Filter(a => a.MeanScore >= 0.5);

alerts.SinkToFiles(alertsDir, encoder: a => a.ToString());
alerts.Print();
await env.ExecuteAsync();
return 0;

public sealed record Payment(long Ts, string Account, double Amount, int Hour)
{
    public string ToCsv() => FormattableString.Invariant($"{Ts},{Account},{Amount},{Hour}");
}

public sealed record Scored(long Ts, string Account, double Amount, double Score)
{
    public static Scored Parse(string line)
    {
        var f = line.Split(',');
        return new Scored(long.Parse(f[0]), f[1], double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed record Alert(string Account, long WindowEnd, int Payments, double MeanScore, double MaxScore)
{
    public override string ToString() =>
        FormattableString.Invariant($"ALERT account={Account} window_end={WindowEnd} payments={Payments} mean_score={MeanScore:0.000} max_score={MaxScore:0.000}");
}

sealed class ScoreStats : IAggregateFunction<Scored, (int N, double Sum, double Max), (int N, double Mean, double Max)>
{
    public (int N, double Sum, double Max) CreateAccumulator() => (0, 0, 0);
    public (int N, double Sum, double Max) Add(Scored s, (int N, double Sum, double Max) a) => (a.N + 1, a.Sum + s.Score, Math.Max(a.Max, s.Score));
    public (int N, double Mean, double Max) GetResult((int N, double Sum, double Max) a) => (a.N, a.Sum / a.N, a.Max);
    public (int N, double Sum, double Max) Merge((int N, double Sum, double Max) x, (int N, double Sum, double Max) y) => (x.N + y.N, x.Sum + y.Sum, Math.Max(x.Max, y.Max));
}

sealed class ToAlert : PyFlow.Engine.Api.Functions.ProcessWindowFunction<(int N, double Mean, double Max), Alert, string, TimeWindow>
{
    public override void Process(string key, Context ctx, IEnumerable<(int N, double Mean, double Max)> elements, ICollector<Alert> output)
    {
        var s = elements.Single();
        output.Collect(new Alert(key, ctx.Window.End, s.N, s.Mean, s.Max));
    }
}
