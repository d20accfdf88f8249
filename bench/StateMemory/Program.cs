// Keyed ValueState<long> for many distinct keys: the managed heap of the RocksDB backend stays
// flat whatever the number of keys, where the heap backend grows with it. Prints time,
// records/s and peak memory for each; the target is a RocksDB peak managed heap under 1 GiB.
//
//   dotnet run -c Release --project bench/StateMemory [-- --keys N --heap-keys N --sample N]

using System.Diagnostics;
using PyFlow.Engine.State;
using PyFlow.Engine.State.RocksDb;

var keys = Arg("--keys", 10_000_000);
var heapKeys = Arg("--heap-keys", 1_000_000);
var sample = Arg("--sample", 100_000);
const long OneGiB = 1L << 30;

Console.WriteLine($"StateMemory: ValueState<long>, {Environment.ProcessorCount} cores, .NET {Environment.Version}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");

// RocksDB first: the heap phase leaves memory the runtime may keep, which would inflate RocksDB's working set.
var dir = Path.Combine(Path.GetTempPath(), "pyflow-statememory-" + Guid.NewGuid().ToString("N"));
long diskBytes = 0;
var rocks = Run($"rocksdb", keys, () => new RocksDbKeyedStateBackend<long>(dir, options: new RocksDbOptions { DeleteDirectoryOnDispose = true }),
    b =>
    {
        var r = (RocksDbKeyedStateBackend<long>)b;
        diskBytes = Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"  rocksdb: estimate-num-keys {r.NativeProperty("rocksdb.estimate-num-keys"):N0}, memtables {Mib(r.NativeProperty("rocksdb.cur-size-all-mem-tables"))}, " +
                          $"block cache {Mib(r.NativeProperty("rocksdb.block-cache-usage"))}, table readers {Mib(r.NativeProperty("rocksdb.estimate-table-readers-mem"))}, on disk {Mib(diskBytes)}");
    });
if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);

var heap = Run("heap", heapKeys, () => new HeapKeyedStateBackend<long>(), _ => { });
var perKey = (double)heap.Retained / heapKeys;
Console.WriteLine();
Console.WriteLine($"heap backend: {perKey:F0} bytes of managed heap per key; {keys:N0} keys would need ~{Gib((long)(perKey * keys))} " +
                  $"(peak {Gib(heap.PeakManaged)} for {heapKeys:N0})");
Console.WriteLine($"rocksdb backend: peak managed heap {Gib(rocks.PeakManaged)} for {keys:N0} keys ({(double)rocks.Retained / keys:F1} bytes/key retained), " +
                  $"peak working set {Gib(rocks.PeakWorkingSet)}; target < 1 GiB managed: {(rocks.PeakManaged < OneGiB ? "met" : "MISSED")}");
return rocks.PeakManaged < OneGiB && rocks.Errors == 0 && heap.Errors == 0 ? 0 : 1;

static Result Run(string name, int keys, Func<IKeyedStateBackend<long>> make, Action<IKeyedStateBackend<long>> describe)
{
    Console.WriteLine();
    Console.WriteLine($"{name}: {keys:N0} keys");
    var before = Settle();
    using var peaks = new PeakSampler();
    using var backend = make();
    var state = backend.GetValueState(new ValueStateDescriptor<long>("count"));

    var write = Stopwatch.StartNew();
    for (long k = 0; k < keys; k++)
    {
        backend.SetCurrentKey(k);
        state.Update(ValueOf(k));
    }
    write.Stop();
    Console.WriteLine($"  write: {keys:N0} in {write.Elapsed.TotalSeconds:F1} s = {keys / write.Elapsed.TotalSeconds:N0} records/s");

    var samples = Math.Min(keys, Arg("--sample", 100_000));
    var rng = new Random(42);
    var errors = 0;
    var read = Stopwatch.StartNew();
    for (int i = 0; i < samples; i++)
    {
        long k = rng.NextInt64(keys);
        backend.SetCurrentKey(k);
        if (!state.TryGetValue(out var v) || v != ValueOf(k)) errors++;
    }
    read.Stop();
    Console.WriteLine($"  read back {samples:N0} random keys in {read.Elapsed.TotalSeconds:F2} s = {samples / read.Elapsed.TotalSeconds:N0} records/s, {errors} wrong");

    peaks.Stop();
    var retained = Settle() - before; // with the backend still alive
    describe(backend);
    var info = GC.GetGCMemoryInfo();
    Console.WriteLine($"  peak managed heap: {Gib(peaks.Managed)} (GC.GetTotalMemory, sampled), {Gib(peaks.HeapSize)} (GCMemoryInfo.HeapSizeBytes after the latest GC); " +
                      $"retained after full GC {Mib(retained)}; peak working set {Gib(peaks.WorkingSet)}; gen2 GCs in the process so far {GC.CollectionCount(2)}, GC pause {info.PauseTimePercentage:F1}%");
    GC.KeepAlive(state);
    return new Result(peaks.Managed, peaks.WorkingSet, retained, errors);
}

static long Settle()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static long ValueOf(long key) => key * 31 + 7;

static string Gib(long bytes) => $"{bytes / (double)(1L << 30):F3} GiB";
static string Mib(long bytes) => $"{bytes / (double)(1L << 20):F1} MiB";

static int Arg(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}

record Result(long PeakManaged, long PeakWorkingSet, long Retained, int Errors);

/// <summary>Samples the managed heap and the working set every 10 ms on its own thread and keeps the maxima.</summary>
sealed class PeakSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    public PeakSampler()
    {
        Sample();
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                Sample();
                Thread.Sleep(10);
            }
        }) { IsBackground = true, Name = "peak sampler" };
        _thread.Start();
    }

    public long Managed { get; private set; }
    public long HeapSize { get; private set; }
    public long WorkingSet { get; private set; }

    private void Sample()
    {
        Managed = Math.Max(Managed, GC.GetTotalMemory(false));
        HeapSize = Math.Max(HeapSize, GC.GetGCMemoryInfo().HeapSizeBytes);
        WorkingSet = Math.Max(WorkingSet, Environment.WorkingSet);
    }

    public void Stop()
    {
        if (_stop) return;
        _stop = true;
        _thread.Join();
        Sample();
    }

    public void Dispose() => Stop();
}
