using System.Net;
using System.Net.Sockets;
using System.Text;
using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

public class SocketTextSourceTests
{
    [Test]
    public async Task EmitsTheLinesAServerSendsUntilItCloses()
    {
        var many = Enumerable.Range(0, 20_000).Select(i => $"line {i}").ToList(); // more than the reader's queue holds
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(timeout.Token);
            var stream = client.GetStream();
            async Task Send(byte[] bytes)
            {
                await stream.WriteAsync(bytes, timeout.Token);
                await stream.FlushAsync(timeout.Token);
            }
            await Send(Encoding.UTF8.GetBytes("alpha\nbeta\r\n\nga"));
            await Task.Delay(20, timeout.Token); // a line split over two reads
            var accented = Encoding.UTF8.GetBytes("mma h\u00e9llo\n");
            var cut = Array.IndexOf(accented, (byte)0xC3) + 1; // inside the two bytes of 'é'
            await Send(accented[..cut]);
            await Task.Delay(20, timeout.Token);
            await Send(accented[cut..]);
            await Send(Encoding.UTF8.GetBytes(string.Join("\n", many) + "\nno final newline"));
        }); // disposing the client closes the connection: the end of the input

        var env = new StreamExecutionEnvironment { Parallelism = 1 }; // one collecting subtask, so the lines keep their order
        var lines = new List<string>();
        await foreach (var line in env.SocketTextStream("127.0.0.1", port).ExecuteAndCollectAsync(timeout.Token)) lines.Add(line);
        await server;

        var expected = new[] { "alpha", "beta", "", "gamma h\u00e9llo" }.Concat(many).Append("no final newline");
        Assert.That(lines, Is.EqualTo(expected));
    }

    [Test]
    public async Task PollingNeverWaitsForTheNetwork()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var reader = new SocketTextSource("127.0.0.1", port).CreateReader(0, 1);
        var sink = new ListConsumer<string>();
        var (_, poll) = sink.Output();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(poll(reader), Is.EqualTo(SourceStatus.NothingAvailable), "connecting: nothing yet");
        using var server = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(poll(reader), Is.EqualTo(SourceStatus.NothingAvailable), "connected, no line yet");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));

        await server.GetStream().WriteAsync("one\ntw"u8.ToArray());
        await PollUntil(() => { poll(reader); return sink.Values.Count == 1; });
        Assert.That(sink.Values, Is.EqualTo(new[] { "one" }));
        Assert.That(poll(reader), Is.EqualTo(SourceStatus.NothingAvailable), "half a line is not a line while the connection is open");

        server.Close();
        await PollUntil(() => poll(reader) == SourceStatus.End);
        Assert.That(sink.Values, Is.EqualTo(new[] { "one", "tw" }));

        static async Task PollUntil(Func<bool> done)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!done())
            {
                if (DateTime.UtcNow > deadline) Assert.Fail("the reader did not get there within 10 s");
                await Task.Delay(5);
            }
        }
    }

    [Test]
    public void AConnectionThatCannotBeMadeFailsTheJobNamingHostAndPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nobody listens there now: the connection is refused

        var env = new StreamExecutionEnvironment();
        env.SocketTextStream("127.0.0.1", port).AddSink((_, _) => { });
        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(e!.InnerException, Is.TypeOf<IOException>());
        Assert.That(e.Message, Does.Contain($"cannot connect to 127.0.0.1:{port}"));
    }

    [Test]
    public void ThePortIsCheckedWhenThePlanIsBuilt() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamExecutionEnvironment().SocketTextStream("localhost", 70_000));
}
