using System.Collections.Concurrent;
using System.Text.Json;
using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

public class JsonLinesSourceTests
{
    public sealed record Person(string Name, int Age);

    private const string Lines =
        "{\"Name\":\"ann\",\"Age\":31}\n" +  // 1
        "\n" +                               // 2: blank, skipped
        "{\"Name\":\"bo\",\"Age\":7}\n" +    // 3
        "{\"Name\":\"cy\",\"Age\":\"x\"}\n" + // 4: bad type
        "null\n" +                           // 5: JSON null is not a Person
        "  {\"Name\":\"di\",\"Age\":4}  \n" + // 6
        "{\"Name\":";                        // 7: truncated, no final newline

    private static string JsonMessageOf(string line)
    {
        try { JsonSerializer.Deserialize<Person>(line); }
        catch (JsonException e) { return e.Message; }
        throw new AssertionException($"expected {line} not to deserialize");
    }

    [Test]
    public async Task ReadsOneRecordPerLine()
    {
        using var dir = new TempDir();
        var file = dir.Write("people.jsonl", "{\"Name\":\"ann\",\"Age\":31}\n{\"Name\":\"bo\",\"Age\":7}\n\n");
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var results = new List<Person>();
        await foreach (var p in env.ReadJsonLines<Person>(file).ExecuteAndCollectAsync()) results.Add(p);
        Assert.That(results, Is.EqualTo(new[] { new Person("ann", 31), new Person("bo", 7) }));
    }

    [Test]
    public async Task UsesTheSerializerOptionsGiven()
    {
        using var dir = new TempDir();
        var file = dir.Write("people.jsonl", "{\"name\":\"ann\",\"age\":\"31\"}\n");
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var results = new List<Person>();
        await foreach (var p in env.ReadJsonLines<Person>(file, new JsonSerializerOptions(JsonSerializerDefaults.Web)).ExecuteAndCollectAsync())
            results.Add(p);
        Assert.That(results, Is.EqualTo(new[] { new Person("ann", 31) }));
    }

    [Test]
    public void ABadLineFailsTheJobNamingFileAndLine()
    {
        using var dir = new TempDir();
        var file = dir.Write("people.jsonl", Lines);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadJsonLines<Person>(file).AddSink((_, _) => { });

        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(e!.InnerException, Is.TypeOf<ParseException>());
        Assert.That(e.InnerException!.InnerException, Is.InstanceOf<JsonException>());
        Assert.That(e.Message, Does.Contain($"line 4 of '{file}'").And.Contain("{\"Name\":\"cy\",\"Age\":\"x\"}"));
    }

    [Test]
    public async Task BadLinesGoToTheSideOutput()
    {
        using var dir = new TempDir();
        var file = dir.Write("people.jsonl", Lines);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var bad = new OutputTag<ParseError>("bad-json");
        var people = env.ReadJsonLines<Person>(file, onError: ParseErrorPolicy.SideOutput(bad));
        var errors = new ConcurrentQueue<ParseError>();
        people.GetSideOutput(bad).AddSink((x, _) => errors.Enqueue(x));

        var results = new List<Person>();
        await foreach (var p in people.ExecuteAndCollectAsync()) results.Add(p);

        Assert.That(results, Is.EqualTo(new[] { new Person("ann", 31), new Person("bo", 7), new Person("di", 4) }));
        Assert.That(errors, Is.EqualTo(new[]
        {
            new ParseError(file, 4, "{\"Name\":\"cy\",\"Age\":\"x\"}", JsonMessageOf("{\"Name\":\"cy\",\"Age\":\"x\"}")),
            new ParseError(file, 5, "null", "the line is JSON null, not a Person"),
            new ParseError(file, 7, "{\"Name\":", JsonMessageOf("{\"Name\":")),
        }));
    }

    [Test]
    public void ALongBadLineIsTruncatedInTheMessageButKeptWholeInTheException()
    {
        using var dir = new TempDir();
        var longLine = "{\"Name\":\"" + new string('z', 5000);
        var file = dir.Write("long.jsonl", longLine + "\n");
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.ReadJsonLines<Person>(file).AddSink((_, _) => { });

        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        var parse = (ParseException)e!.InnerException!;
        Assert.That(parse.Line, Is.EqualTo(longLine));
        Assert.That(parse.Message, Does.Contain($"({longLine.Length} chars)"));
        Assert.That(parse.Message.Length, Is.LessThan(1500));
    }
}
