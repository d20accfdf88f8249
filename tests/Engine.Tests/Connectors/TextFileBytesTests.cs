using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

/// <summary>Bytes a text file source refuses: invalid UTF-8 and lines past the length limit (CSV, JSON lines and plain text).</summary>
public class TextFileBytesTests
{
    private sealed record Person(string Name, int Age);

    private static async Task<List<T>> Collect<T>(DataStream<T> stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var results = new List<T>();
        await foreach (var x in stream.ExecuteAndCollectAsync(timeout.Token)) results.Add(x);
        return results;
    }

    private static TextFileReadException Failure(StreamExecutionEnvironment env)
    {
        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(e!.InnerException, Is.TypeOf<TextFileReadException>(), e.ToString());
        return (TextFileReadException)e.InnerException!;
    }

    /// <summary>"ok\n" then "bad" with 0xFF at byte 2 of line 2 (file offset 5), then "after\n".</summary>
    private static string WriteInvalid(TempDir dir, string name, byte[] before)
    {
        var file = Path.Combine(dir.Path, name);
        File.WriteAllBytes(file, [.. before, .. "ba"u8, 0xFF, .. "d\nafter\n"u8]);
        return file;
    }

    [Test]
    public void InvalidUtf8FailsTheJobNamingFileLineAndByteOffset()
    {
        using var dir = new TempDir();
        var file = WriteInvalid(dir, "bad.txt", "ok\n"u8.ToArray());
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadTextFile(file).AddSink((_, _) => { });

        var e = Failure(env);
        Assert.That((e.File, e.LineNumber, e.ByteOffset), Is.EqualTo((file, 2L, 5L)));
        Assert.That(e.Message, Does.Contain($"'{file}' is not valid UTF-8 at byte offset 5 (line 2, byte 3 of the line: 0xFF)")
            .And.Contain("pyflow.source.invalid-utf8").And.Contain("InvalidUtf8Policy.Replace"));
    }

    [Test]
    public void TheByteOffsetCountsAByteOrderMark()
    {
        using var dir = new TempDir();
        var file = WriteInvalid(dir, "bom.txt", [0xEF, 0xBB, 0xBF, .. "ok\n"u8]);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadTextFile(file).AddSink((_, _) => { });
        Assert.That(Failure(env).ByteOffset, Is.EqualTo(8L));
    }

    [Test]
    public async Task ReplaceReadsInvalidBytesAsTheReplacementCharacter()
    {
        using var dir = new TempDir();
        var file = WriteInvalid(dir, "bad.txt", "ok\n"u8.ToArray());
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var lines = await Collect(env.ReadTextFile(file, new LineReadOptions { InvalidUtf8 = InvalidUtf8Policy.Replace }));
        Assert.That(lines, Is.EqualTo(new[] { "ok", "ba\uFFFDd", "after" }));
    }

    [Test]
    public void InvalidUtf8InCsvAndJsonLinesFailsToo()
    {
        using var dir = new TempDir();
        var csv = WriteInvalid(dir, "people.csv", "ann,31\n"u8.ToArray());
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadCsvFile(csv, f => new Person(f[0], int.Parse(f[1]))).AddSink((_, _) => { });
        var e = Failure(env);
        Assert.That((e.File, e.LineNumber, e.ByteOffset), Is.EqualTo((csv, 2L, 9L)));

        var json = WriteInvalid(dir, "people.jsonl", "{\"Name\":\"bo\",\"Age\":7}\n"u8.ToArray());
        env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadJsonLines<Person>(json).AddSink((_, _) => { });
        e = Failure(env);
        Assert.That((e.File, e.LineNumber, e.ByteOffset), Is.EqualTo((json, 2L, 24L)));
    }

    [Test]
    public async Task ALineOfExactlyTheLimitIsReadAndOneByteMoreFails()
    {
        using var dir = new TempDir();
        var limit = new LineReadOptions { MaxLineBytes = 1000 };
        var file = dir.Write("lines.txt", $"short\n{new string('x', 1000)}\r\n{new string('y', 999)}");
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        Assert.That(await Collect(env.ReadTextFile(file, limit)), Is.EqualTo(new[] { "short", new string('x', 1000), new string('y', 999) }));

        var tooLong = dir.Write("long.txt", $"short\nsecond\n{new string('z', 1001)}\nafter\n");
        env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadTextFile(tooLong, limit).AddSink((_, _) => { });
        var e = Failure(env);
        Assert.That((e.File, e.LineNumber, e.ByteOffset), Is.EqualTo((tooLong, 3L, 13L + 1000)));
        Assert.That(e.Message, Does.Contain($"line 3 of '{tooLong}' (starting at byte 13) is longer than the limit of 1000 bytes")
            .And.Contain("pyflow.source.max-line-length").And.Contain("LineReadOptions.MaxLineBytes"));
    }

    [Test]
    public void TheDefaultLimitStopsALineWithoutEndBeforeItIsReadWhole()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "no-newline.bin");
        // Sparse: 1 GiB of zero bytes (valid UTF-8, no terminator) that costs no disk and little time to read up to the limit.
        using (var f = File.Create(file)) f.SetLength(1L << 30);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadTextFile(file).AddSink((_, _) => { });

        var e = Failure(env);
        Assert.That((e.LineNumber, e.ByteOffset), Is.EqualTo((1L, (long)LineReadOptions.DefaultMaxLineBytes)));
        Assert.That(e.Message, Does.Contain($"longer than the limit of {64 * 1024 * 1024} bytes"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(LineReadOptions.MaxAllowedLineBytes + 1)]
    public void AnOutOfRangeLimitIsRefusedWhenThePlanIsBuilt(int bytes)
    {
        using var dir = new TempDir();
        var file = dir.Write("a.txt", "a\n");
        var e = Assert.Throws<ArgumentException>(() => new StreamExecutionEnvironment().ReadTextFile(file, new LineReadOptions { MaxLineBytes = bytes }));
        Assert.That(e!.Message, Does.Contain("MaxLineBytes must be between 1 and 1073741824"));
    }
}
