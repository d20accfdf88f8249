using System.Text;
using System.Text.RegularExpressions;
using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sinks;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

public class RollingFileSinkTests
{
    private static readonly Regex FinalName = new(@"^part-\d+-\d+$");

    private static async Task Run(StreamExecutionEnvironment env) => await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20));

    private static string Read(TempDir dir, string name) => File.ReadAllText(Path.Combine(dir.Path, name), Encoding.UTF8);

    [Test]
    public async Task WritesEveryRecordAsALineIntoOnePartFile()
    {
        using var dir = new TempDir();
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.FromCollection(Enumerable.Range(1, 100)).SinkToFiles(dir.Path);
        await Run(env);

        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "part-0-0" }));
        Assert.That(Read(dir, "part-0-0"), Is.EqualTo(string.Concat(Enumerable.Range(1, 100).Select(i => $"{i}\n"))));
    }

    [Test]
    public async Task RollsToANewPartFileOnceOneExceedsTheMaxSize()
    {
        using var dir = new TempDir();
        var records = Enumerable.Range(0, 100).Select(i => i % 7 == 0 ? $"long-record-{i}" : $"r{i}").ToList();
        const long maxSize = 40;
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.Options.BatchSize = 16;
        env.FromCollection(records).SinkToFiles(dir.Path, new RollingPolicy { MaxPartSize = maxSize }, r => r.ToUpperInvariant());
        await Run(env);

        // Flink's rule: before each record, a part file holding more than the max size is rolled.
        var expected = new List<string> { "" };
        foreach (var r in records)
        {
            if (Encoding.UTF8.GetByteCount(expected[^1]) > maxSize) expected.Add("");
            expected[^1] += r.ToUpperInvariant() + "\n";
        }
        Assert.That(expected, Has.Count.GreaterThan(5));
        Assert.That(dir.FileNames(), Is.EquivalentTo(expected.Select((_, i) => $"part-0-{i}")), "no .inprogress file left");
        for (var i = 0; i < expected.Count; i++)
            Assert.That(Read(dir, $"part-0-{i}"), Is.EqualTo(expected[i]), $"part-0-{i}");
    }

    [Test]
    public async Task EachSubtaskWritesItsOwnPartFiles()
    {
        using var dir = new TempDir();
        var env = new StreamExecutionEnvironment { Parallelism = 3 };
        env.Options.BatchSize = 64;
        env.FromGenerator(i => i, 3000).SinkToFiles(dir.Path, new RollingPolicy { MaxPartSize = 2000 });
        await Run(env);

        var names = dir.FileNames();
        Assert.That(names, Has.All.Matches(FinalName), "only committed part files");
        for (var s = 0; s < 3; s++)
        {
            // Subtask s generated s, s + 3, ... (chained to its sink) and numbered its files from 0.
            var mine = names.Where(n => n.StartsWith($"part-{s}-")).OrderBy(n => int.Parse(n.Split('-')[2])).ToList();
            Assert.That(mine.Select(n => n.Split('-')[2]), Is.EqualTo(Enumerable.Range(0, mine.Count).Select(i => i.ToString())));
            Assert.That(mine, Has.Count.GreaterThan(1));
            var lines = string.Concat(mine.Select(n => Read(dir, n))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Is.EqualTo(Enumerable.Range(0, 1000).Select(i => (3 * i + s).ToString())));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task RollsWhenAnIntervalOfProcessingTimePasses(bool rollover)
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        var env = new StreamExecutionEnvironment { Parallelism = 1 }; // source and sink chained: one thread, a fixed order
        env.Options.Clock = clock;
        var second = TimeSpan.FromSeconds(1);
        var policy = rollover
            ? new RollingPolicy { RolloverInterval = second, InactivityInterval = null, CheckInterval = second }
            : new RollingPolicy { RolloverInterval = null, InactivityInterval = second, CheckInterval = second };
        var source = new ScriptedSource(
            o => { o.Collect("a", Batch<string>.NoTimestamp); o.Collect("b", Batch<string>.NoTimestamp); },
            _ => clock.Advance(TimeSpan.FromSeconds(2)), // the sink's check runs before the next poll
            o => o.Collect("c", Batch<string>.NoTimestamp));
        env.FromSource(source, "Scripted").SinkToFiles(dir.Path, policy);
        await Run(env);

        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "part-0-0", "part-0-1" }));
        Assert.That(Read(dir, "part-0-0"), Is.EqualTo("a\nb\n"));
        Assert.That(Read(dir, "part-0-1"), Is.EqualTo("c\n"));
    }

    [Test]
    public async Task ANewJobIntoTheSameDirectoryNeverOverwritesAPartFile()
    {
        using var dir = new TempDir();
        for (var run = 0; run < 2; run++)
        {
            var env = new StreamExecutionEnvironment { Parallelism = 1 };
            env.FromCollection(new[] { $"run {run}" }).SinkToFiles(dir.Path);
            await Run(env);
        }
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "part-0-0", "part-0-1" }));
        Assert.That(Read(dir, "part-0-0"), Is.EqualTo("run 0\n"));
        Assert.That(Read(dir, "part-0-1"), Is.EqualTo("run 1\n"));
    }

    [Test]
    public void AFailedJobLeavesItsOpenPartFileInProgressAndCommitsNothingMore()
    {
        using var dir = new TempDir();
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.Options.BatchSize = 10;
        env.FromCollection(Enumerable.Range(0, 100))
            .Map(i => i == 55 ? throw new InvalidOperationException("boom") : i)
            .SinkToFiles(dir.Path);
        Assert.ThrowsAsync<JobExecutionException>(() => Run(env));

        Assert.That(dir.FileNames(), Is.EqualTo(new[] { ".part-0-0.inprogress" }));
        Assert.That(Read(dir, ".part-0-0.inprogress"), Is.EqualTo(string.Concat(Enumerable.Range(0, 50).Select(i => $"{i}\n"))));
    }

    [Test]
    public async Task ATextSourceReadsBackWhatTheSinkWrote()
    {
        using var dir = new TempDir();
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.FromGenerator(i => $"line {i}", 1000).SinkToFiles(dir.Path, new RollingPolicy { MaxPartSize = 1000 });
        await Run(env);

        var read = new List<string>();
        await foreach (var l in new StreamExecutionEnvironment { Parallelism = 3 }.ReadTextFile(dir.Path).ExecuteAndCollectAsync()) read.Add(l);
        Assert.That(read.Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(0, 1000).Select(i => $"line {i}").Order(StringComparer.Ordinal)));
    }

    [Test]
    public void RollingPolicyValuesAreCheckedWhenSet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RollingPolicy { MaxPartSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RollingPolicy { RolloverInterval = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RollingPolicy { CheckInterval = TimeSpan.FromSeconds(-1) });
    }

    /// <summary>A source whose polls run the given steps in order, one per poll, then end.</summary>
    private sealed class ScriptedSource : ISource<string>
    {
        private readonly Action<SourceOutput<string>>[] _steps;

        public ScriptedSource(params Action<SourceOutput<string>>[] steps) => _steps = steps;

        public int MaxParallelism => 1;

        public ISourceReader<string> CreateReader(int subtaskIndex, int parallelism) => new Reader(_steps);

        private sealed class Reader : ISourceReader<string>
        {
            private readonly Action<SourceOutput<string>>[] _steps;
            private int _next;

            public Reader(Action<SourceOutput<string>>[] steps) => _steps = steps;

            public SourceStatus Poll(SourceOutput<string> output)
            {
                _steps[_next++](output);
                return _next < _steps.Length ? SourceStatus.MoreAvailable : SourceStatus.End;
            }

            public void Dispose() { }
        }
    }
}
