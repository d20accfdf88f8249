using System.Collections.Concurrent;
using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

/// <summary>The operator chained right after a file source can ask where each record came from.</summary>
public class RecordOriginsTests
{
    /// <summary>Asks for origins and looks up every record it receives, releasing each batch after it.</summary>
    private sealed class OriginProbe(OperatorContext ctx, IBatchConsumer<string> output, ConcurrentQueue<string> seen) : IBatchConsumer<string>
    {
        private readonly RecordOrigins? _origins = Request(ctx.SourceOrigins);
        private long _next;

        private static RecordOrigins? Request(RecordOrigins? origins)
        {
            origins?.Request();
            return origins;
        }

        public void Push(Batch<string> batch)
        {
            for (var i = 0; i < batch.Count; i++, _next++)
                seen.Enqueue(_origins != null && _origins.TryLocate(_next, out var file, out var line)
                    ? $"{Path.GetFileName(file)}:{line}:{batch.Values[i]}"
                    : $"?:{batch.Values[i]}");
            _origins?.Release(_next);
            output.Push(batch);
        }

        public void Watermark(long watermark) => output.Watermark(watermark);
        public void EndOfInput() => output.EndOfInput();
    }

    [Test]
    public async Task EveryRecordIsLocatedAcrossHeadersSkippedLinesFilesAndBatches()
    {
        using var dir = new TempDir();
        // a.csv: a header, a blank line (skipped) and 250 records; b.csv: a header and 3 records.
        dir.Write("a.csv", "name\nx0\n\n" + string.Join("\n", Enumerable.Range(1, 249).Select(i => $"x{i}")) + "\n");
        dir.Write("b.csv", "name\ny0\ny1\ny2");
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.Options.BatchSize = 64;
        var seen = new ConcurrentQueue<string>();
        var csv = new CsvOptions { SkipHeader = true, SkipEmptyLines = true };
        var stream = env.ReadCsvFile(dir.Path, f => f[0], csv).Transform<string>("Probe", (ctx, o) => new OriginProbe(ctx, o, seen));
        await foreach (var _ in stream.ExecuteAndCollectAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token)) { }

        var expected = new List<string> { "a.csv:2:x0" };
        expected.AddRange(Enumerable.Range(1, 249).Select(i => $"a.csv:{i + 3}:x{i}"));
        expected.AddRange(Enumerable.Range(0, 3).Select(i => $"b.csv:{i + 2}:y{i}"));
        Assert.That(seen, Is.EqualTo(expected));
    }

    [Test]
    public async Task AnOperatorNotRightAfterTheSourceGetsNoOrigins()
    {
        using var dir = new TempDir();
        var file = dir.Write("a.txt", "one\ntwo\n");
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var seen = new ConcurrentQueue<string>();
        var stream = env.ReadTextFile(file).Map(s => s.ToUpperInvariant()).Transform<string>("Probe", (ctx, o) => new OriginProbe(ctx, o, seen));
        await foreach (var _ in stream.ExecuteAndCollectAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token)) { }
        Assert.That(seen, Is.EqualTo(new[] { "?:ONE", "?:TWO" }));
    }

    [Test]
    public void ReleasedRunsAreForgottenAndLaterOnesKept()
    {
        var origins = new RecordOrigins();
        foreach (var n in new long[] { 1, 2, 3, 7, 8 }) origins.Emitted("f", n); // runs: records 0-2 at line 1, 3-4 at line 7
        origins.Emitted("g", 1);                                                       // record 5: g line 1
        Assert.That(origins.TryLocate(4, out var file, out var line) ? $"{file}:{line}" : null, Is.EqualTo("f:8"));
        origins.Release(3);
        Assert.That(origins.TryLocate(2, out _, out _), Is.False, "its run was released");
        Assert.That(origins.TryLocate(3, out file, out line) ? $"{file}:{line}" : null, Is.EqualTo("f:7"));
        Assert.That(origins.TryLocate(5, out file, out line) ? $"{file}:{line}" : null, Is.EqualTo("g:1"));
        Assert.That(origins.TryLocate(6, out _, out _), Is.False, "not emitted yet");
    }
}
