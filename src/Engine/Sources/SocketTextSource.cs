using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sources;

/// <summary>
/// The lines a TCP server sends (Flink's <c>socketTextStream</c>): connects to host:port and
/// emits each <c>\n</c>-terminated line as UTF-8 text, without the <c>\n</c> and without a
/// <c>\r</c> before it, as Flink does for the <c>\n</c> delimiter. The input ends when the
/// server closes the connection; text after the last <c>\n</c> is then a last line, as in Flink.
/// Non-parallel. Flink's default of no reconnect is kept: a connection that cannot be made,
/// or that breaks, fails the job.
/// </summary>
public sealed class SocketTextSource : ISource<string>
{
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _connectTimeout;
    private readonly LineReadOptions _lineOptions;

    /// <param name="host">Name or address of the server.</param>
    /// <param name="port">Its TCP port.</param>
    /// <param name="connectTimeout">Longest wait for the connection; 10 s when null.</param>
    /// <param name="lineOptions">Invalid UTF-8 and the longest line (both fail the job by default); <see cref="LineReadOptions.Default"/> when null.</param>
    public SocketTextSource(string host, int port, TimeSpan? connectTimeout = null, LineReadOptions? lineOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "socket source: port must be in 1..65535");
        var timeout = connectTimeout ?? TimeSpan.FromSeconds(10);
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(connectTimeout), timeout, "socket source: the connect timeout must be positive");
        _host = host;
        _port = port;
        _connectTimeout = timeout;
        _lineOptions = lineOptions ?? LineReadOptions.Default;
        _lineOptions.Validate();
    }

    public int MaxParallelism => 1;

    public ISourceReader<string> CreateReader(int subtaskIndex, int parallelism) => new Reader(_host, _port, _connectTimeout, _lineOptions);

    /// <summary>
    /// A task on the thread pool connects and reads; the subtask only takes lines from a bounded
    /// queue, so it never blocks on the network.
    /// </summary>
    private sealed class Reader : ISourceReader<string>
    {
        /// <summary>
        /// Lines queued between the network and the subtask. When the subtask falls behind, the
        /// reading task waits, the socket's receive buffer fills and TCP slows the sender: memory
        /// stays bounded (about this many lines) however fast the server writes.
        /// </summary>
        private const int QueueCapacity = 8192;

        private readonly string _host;
        private readonly int _port;
        private readonly TimeSpan _connectTimeout;
        private readonly LineReadOptions _lineOptions;
        // The line being received and the lines emitted: used by the reading task only.
        private static readonly Encoding Strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private byte[] _line = new byte[256];
        private int _length;
        private long _lineNumber;
        private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        private readonly CancellationTokenSource _stop = new();
        private Task? _receiving;

        public Reader(string host, int port, TimeSpan connectTimeout, LineReadOptions lineOptions)
        {
            _host = host;
            _port = port;
            _connectTimeout = connectTimeout;
            _lineOptions = lineOptions;
        }

        public SourceStatus Poll(SourceOutput<string> output)
        {
            // Connect at the first poll, not when the job is built, so a job that fails to start leaves no socket behind.
            _receiving ??= Task.Run(ReceiveAsync);
            var taken = 0;
            for (var room = output.Room; taken < room && _lines.Reader.TryRead(out var line); taken++)
                output.Collect(line, Batch<string>.NoTimestamp);
            if (taken > 0) return SourceStatus.MoreAvailable;
            var completion = _lines.Reader.Completion;
            if (!completion.IsCompleted) return SourceStatus.NothingAvailable;
            // Completed and drained: the connection closed, or failed.
            if (completion.IsFaulted) throw completion.Exception!.InnerException!;
            return SourceStatus.End;
        }

        private async Task ReceiveAsync()
        {
            Exception? error = null;
            var connected = false;
            try
            {
                using var client = new TcpClient();
                using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    connecting.CancelAfter(_connectTimeout);
                    await client.ConnectAsync(_host, _port, connecting.Token).ConfigureAwait(false);
                }
                connected = true;
                // Bytes are split into lines first and each line decoded whole, so a character split
                // over two reads decodes right, and invalid UTF-8 is pinned to its line.
                var stream = client.GetStream();
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
                {
                    var start = 0;
                    for (var i = 0; i < read; i++)
                    {
                        if (buffer[i] != (byte)'\n') continue;
                        Append(buffer.AsSpan(start, i - start));
                        await EmitAsync().ConfigureAwait(false);
                        start = i + 1;
                    }
                    Append(buffer.AsSpan(start, read - start));
                }
                if (_length > 0) await EmitAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Disposed: the job is over, nobody reads on.
            }
            catch (Exception e)
            {
                var why = e is OperationCanceledException ? $"no connection within {_connectTimeout.TotalSeconds:0.#} s" : e.Message;
                error = connected
                    ? new IOException($"socket text stream from {_host}:{_port} failed while reading: {why}", e)
                    : new IOException($"socket text stream: cannot connect to {_host}:{_port}: {why}; is a server listening there? (to try one out: nc -lk {_port})", e);
            }
            _lines.Writer.TryComplete(error);
        }

        /// <summary>Appends bytes of the current line, refusing a line that grows past the limit before it is held whole.</summary>
        private void Append(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _lineOptions.MaxLineBytes - _length)
                throw new InvalidDataException($"line {_lineNumber + 1} is longer than the limit of {_lineOptions.MaxLineBytes} bytes; " +
                    "if such long lines are expected, raise the limit: LineReadOptions.MaxLineBytes");
            if (_length + bytes.Length > _line.Length)
                Array.Resize(ref _line, (int)Math.Min(_lineOptions.MaxLineBytes, Math.Max(2L * _line.Length, _length + bytes.Length)));
            bytes.CopyTo(_line.AsSpan(_length));
            _length += bytes.Length;
        }

        private string Decode()
        {
            var length = _length > 0 && _line[_length - 1] == (byte)'\r' ? _length - 1 : _length;
            _length = 0;
            if (_lineOptions.InvalidUtf8 == InvalidUtf8Policy.Replace) return Encoding.UTF8.GetString(_line, 0, length);
            try
            {
                return Strict.GetString(_line, 0, length);
            }
            catch (DecoderFallbackException e)
            {
                var bytes = e.BytesUnknown is { Length: > 0 } unknown ? string.Join(" ", unknown.Select(x => $"0x{x:X2}")) : "?";
                throw new InvalidDataException($"line {_lineNumber + 1} is not valid UTF-8 at byte {e.Index + 1} of the line ({bytes}); " +
                    "to read such bytes as U+FFFD, pass LineReadOptions { InvalidUtf8 = InvalidUtf8Policy.Replace }", e);
            }
        }

        private ValueTask EmitAsync()
        {
            var text = Decode();
            _lineNumber++;
            return _lines.Writer.TryWrite(text) ? ValueTask.CompletedTask : _lines.Writer.WriteAsync(text, _stop.Token);
        }

        public void Dispose()
        {
            // Cancelling ends the pending connect or read, and the task then disposes the socket itself.
            _stop.Cancel();
        }
    }
}
