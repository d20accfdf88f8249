using PyFlow.Engine.Api;

namespace PyFlow.Engine.Tests.Connectors;

public class TextFileSourceTests
{
    private static async Task<List<T>> Collect<T>(DataStream<T> stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var results = new List<T>();
        await foreach (var x in stream.ExecuteAndCollectAsync(timeout.Token)) results.Add(x);
        return results;
    }

    /// <summary>Three files (one of them empty, one spanning several batches) and a hidden one; returns every line expected, in file-name order.</summary>
    private static List<string> WriteThreeFiles(TempDir dir)
    {
        var b = Enumerable.Range(0, 2500).Select(i => $"b-{i}").ToList();
        dir.Write("a.txt", "a-0\r\na-1\n\na-3 ünïcødé\ra-4"); // CRLF, LF, an empty line, CR, no final terminator
        dir.Write("b.txt", string.Join("\n", b) + "\n");
        dir.Write("c.txt", "");
        dir.Write(".hidden", "never read\n");
        dir.Write("_SUCCESS", "never read\n");
        return new[] { "a-0", "a-1", "", "a-3 ünïcødé", "a-4" }.Concat(b).ToList();
    }

    [Test]
    public async Task ReadsEveryLineOfEveryFileInNameOrderAtParallelismOne()
    {
        using var dir = new TempDir();
        var expected = WriteThreeFiles(dir);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.Options.BatchSize = 100;
        Assert.That(await Collect(env.ReadTextFile(dir.Path)), Is.EqualTo(expected));
    }

    [TestCase(2)]
    [TestCase(4)] // more subtasks than files: the extra ones read nothing
    public async Task SplitsFilesOverSubtasksReadingEveryLineOnce(int parallelism)
    {
        using var dir = new TempDir();
        var expected = WriteThreeFiles(dir);
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        env.Options.BatchSize = 100;
        var lines = await Collect(env.ReadTextFile(dir.Path));

        Assert.That(lines.Order(StringComparer.Ordinal), Is.EqualTo(expected.Order(StringComparer.Ordinal)), "every line exactly once");
        // Each file is read by one subtask, so its lines keep their order.
        foreach (var prefix in new[] { "a-", "b-" })
            Assert.That(lines.Where(l => l.StartsWith(prefix)), Is.EqualTo(expected.Where(l => l.StartsWith(prefix))), $"order within {prefix}*");
    }

    [Test]
    public async Task ReadsASingleFileWithAByteOrderMark()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "bom.txt");
        File.WriteAllText(file, "first\nsecond\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var env = new StreamExecutionEnvironment { Parallelism = 3 };
        Assert.That(await Collect(env.ReadTextFile(file)), Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public void APathThatDoesNotExistIsRefusedWhenThePlanIsBuilt()
    {
        using var dir = new TempDir();
        var missing = Path.Combine(dir.Path, "missing.txt");
        var env = new StreamExecutionEnvironment();
        var e = Assert.Throws<FileNotFoundException>(() => env.ReadTextFile(missing));
        Assert.That(e!.Message, Does.Contain(missing));
    }
}
