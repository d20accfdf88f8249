using System.Net;
using System.Net.Sockets;
using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

/// <summary>The socket text source refuses invalid UTF-8 and over-long lines as the file sources do.</summary>
public class SocketTextBytesTests
{
    /// <summary>A server on a free port that sends <paramref name="bytes"/> (in two writes, split inside the data) and closes.</summary>
    private static (int Port, Task Served) Serve(byte[] bytes, CancellationToken cancel)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Task.Run(async () =>
        {
            using (listener)
            using (var client = await listener.AcceptTcpClientAsync(cancel))
            {
                var stream = client.GetStream();
                var half = bytes.Length / 2;
                await stream.WriteAsync(bytes.AsMemory(0, half), cancel);
                await stream.FlushAsync(cancel);
                await Task.Delay(20, cancel);
                await stream.WriteAsync(bytes.AsMemory(half), cancel);
            }
            listener.Stop();
        }, cancel);
        return (port, served);
    }

    private static readonly byte[] WithInvalid = [.. "ok\n\u00e9t\u00e9\n"u8, (byte)'b', 0xFF, .. "d\r\nafter\n"u8];

    [Test]
    public void InvalidUtf8FailsTheJobNamingTheLine()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var (port, served) = Serve(WithInvalid, timeout.Token);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.SocketTextStream("127.0.0.1", port).AddSink((_, _) => { });

        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(e!.InnerException!.Message, Does.Contain($"socket text stream from 127.0.0.1:{port} failed while reading: line 3 is not valid UTF-8 at byte 2 of the line (0xFF)")
            .And.Contain("InvalidUtf8Policy.Replace"));
        Assert.DoesNotThrowAsync(() => served);
    }

    [Test]
    public async Task ReplaceReadsInvalidBytesAsTheReplacementCharacter()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var (port, served) = Serve(WithInvalid, timeout.Token);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var lines = new List<string>();
        var replace = new LineReadOptions { InvalidUtf8 = InvalidUtf8Policy.Replace };
        await foreach (var line in env.SocketTextStream("127.0.0.1", port, replace).ExecuteAndCollectAsync(timeout.Token)) lines.Add(line);
        await served;
        Assert.That(lines, Is.EqualTo(new[] { "ok", "\u00e9t\u00e9", "b\uFFFDd", "after" }));
    }

    [Test]
    public void ALineOverTheLimitFailsTheJobBeforeItIsHeldWhole()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var (port, served) = Serve([.. "short\n"u8, .. new byte[5000], .. "\n"u8], timeout.Token);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.SocketTextStream("127.0.0.1", port, new LineReadOptions { MaxLineBytes = 1000 }).AddSink((_, _) => { });

        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(e!.InnerException!.Message, Does.Contain("line 2 is longer than the limit of 1000 bytes").And.Contain("LineReadOptions.MaxLineBytes"));
    }
}
