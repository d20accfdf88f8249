using System.Collections.Concurrent;
using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

public class CsvSourceTests
{
    private sealed record Row(string Name, string Quote, int N);

    private static Row ParseRow(string[] f) =>
        f.Length == 3 ? new Row(f[0], f[1], int.Parse(f[2])) : throw new FormatException($"expected 3 fields, got {f.Length}");

    private const string Csv =
        "name,quote,n\n" +                  // 1: header
        "alice,\"hello, world\",1\n" +      // 2
        "bob,\"she said \"\"hi\"\"\",2\n" + // 3
        "carol,plain,x\n" +                 // 4: bad (parse function throws)
        "\n" +                              // 5: empty, skipped
        "\"dave\",,3\n" +                   // 6
        "eve,\"unclosed,4\n" +              // 7: bad (quote never closed)
        "frank,\"5\"\" screen\",5\r\n";     // 8

    private static readonly Row[] Good =
    {
        new("alice", "hello, world", 1), new("bob", "she said \"hi\"", 2), new("dave", "", 3), new("frank", "5\" screen", 5),
    };

    private static string MessageOf(Action parse)
    {
        try { parse(); }
        catch (Exception e) { return e.Message; }
        throw new AssertionException("expected the parse to fail");
    }

    [TestCase("a,\"b,c\",\"\"", new[] { "a", "b,c", "" })]
    [TestCase("\"a\"\"b\"", new[] { "a\"b" })]
    [TestCase("\"\"\"\"", new[] { "\"" })]
    [TestCase(",", new[] { "", "" })]
    [TestCase("", new[] { "" })]
    [TestCase("a,", new[] { "a", "" })]
    [TestCase("5\" screen,x", new[] { "5\" screen", "x" })]
    [TestCase("\"x\",\"y\"", new[] { "x", "y" })]
    public void SplitsFieldsWithRfc4180Quoting(string line, string[] fields) =>
        Assert.That(CsvLine.Split(line, ',', '"'), Is.EqualTo(fields));

    [Test]
    public void SplitsOnAnotherDelimiterAndQuote() =>
        Assert.That(CsvLine.Split("'a;b';c;''''", ';', '\''), Is.EqualTo(new[] { "a;b", "c", "'" }));

    [TestCase("\"a\"b,c", "unexpected 'b' at column 4, after the closing quote of field 1")]
    [TestCase("a,\"b", "field 2 opens a quote at column 3 that is not closed on this line")]
    public void RefusesMalformedQuotedFields(string line, string message)
    {
        var e = Assert.Throws<FormatException>(() => CsvLine.Split(line, ',', '"'));
        Assert.That(e!.Message, Does.StartWith(message));
    }

    [Test]
    public void RefusesADelimiterEqualToTheQuote()
    {
        using var dir = new TempDir();
        var file = dir.Write("x.csv", "a\n");
        Assert.Throws<ArgumentException>(() => new StreamExecutionEnvironment().ReadCsvFile(file, f => f, new CsvOptions { Delimiter = '"' }));
    }

    [Test]
    public void ABadLineFailsTheJobNamingFileLineAndLineText()
    {
        using var dir = new TempDir();
        var file = dir.Write("people.csv", Csv);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadCsvFile(file, ParseRow, new CsvOptions { SkipHeader = true }).AddSink((_, _) => { });

        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        var parse = e!.InnerException as ParseException;
        Assert.That(parse, Is.Not.Null, $"root cause: {e.InnerException}");
        Assert.That(parse!.File, Is.EqualTo(file));
        Assert.That(parse.LineNumber, Is.EqualTo(4));
        Assert.That(parse.Line, Is.EqualTo("carol,plain,x"));
        Assert.That(parse.InnerException, Is.TypeOf<FormatException>());
        Assert.That(e.Message, Does.Contain($"line 4 of '{file}'").And.Contain("carol,plain,x").And.Contain(MessageOf(() => int.Parse("x"))));
    }

    [TestCase(1)]
    [TestCase(2)]
    public async Task BadLinesGoToTheSideOutputAndReadingGoesOn(int parallelism)
    {
        using var dir = new TempDir();
        var file = dir.Write("people.csv", Csv);
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        var bad = new OutputTag<ParseError>("bad-lines");
        var rows = env.ReadCsvFile(file, ParseRow, new CsvOptions { SkipHeader = true }, ParseErrorPolicy.SideOutput(bad));
        var errors = new ConcurrentQueue<ParseError>();
        rows.GetSideOutput(bad).AddSink((e, _) => errors.Enqueue(e));

        var results = new List<Row>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var r in rows.ExecuteAndCollectAsync(timeout.Token)) results.Add(r);

        Assert.That(results, Is.EqualTo(Good));
        Assert.That(errors.OrderBy(e => e.LineNumber), Is.EqualTo(new[]
        {
            new ParseError(file, 4, "carol,plain,x", MessageOf(() => int.Parse("x"))),
            new ParseError(file, 7, "eve,\"unclosed,4", MessageOf(() => CsvLine.Split("eve,\"unclosed,4", ',', '"'))),
        }));
    }

    [Test]
    public async Task SkipsTheHeaderOfEveryFileOfADirectory()
    {
        using var dir = new TempDir();
        dir.Write("1.csv", "id;label\n1;'a;b'\n2;c\n");
        dir.Write("2.csv", "id;label\n3;d\n");
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var results = new List<(int, string)>();
        var options = new CsvOptions { Delimiter = ';', Quote = '\'', SkipHeader = true };
        await foreach (var r in env.ReadCsvFile(dir.Path, f => (int.Parse(f[0]), f[1]), options).ExecuteAndCollectAsync())
            results.Add(r);
        Assert.That(results.Order(), Is.EqualTo(new[] { (1, "a;b"), (2, "c"), (3, "d") }));
    }

    [Test]
    public async Task EmptyLinesAreRecordsWhenNotSkipped()
    {
        using var dir = new TempDir();
        var file = dir.Write("x.csv", "a\n\nb\n");
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var results = new List<string>();
        await foreach (var r in env.ReadCsvFile(file, f => string.Join("|", f) + "#" + f.Length, new CsvOptions { SkipEmptyLines = false }).ExecuteAndCollectAsync())
            results.Add(r);
        Assert.That(results, Is.EqualTo(new[] { "a#1", "#1", "b#1" }));
    }
}
