using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace PyFlow.Connectors.Kafka.Testing;

/// <summary>
/// A Kafka cluster inside this process, for tests: librdkafka's mock cluster (brokers listening on
/// 127.0.0.1, speaking the Kafka protocol, with topics, consumer groups and transactions). It is not a
/// real broker: PyFlow's Kafka connector is tested against it because no broker installs on the build
/// machines. Known gap of the mock: it answers every offsets-for-timestamp lookup with the end offset, so
/// <see cref="OffsetsInitializer.Timestamp"/> cannot be tested on it. Dispose it to stop the brokers.
/// <example><code>
/// using var cluster = new MockKafkaCluster(brokers: 3);
/// cluster.CreateTopic("input", partitions: 4);
/// var source = KafkaSource&lt;string&gt;.Builder().SetBootstrapServers(cluster.BootstrapServers)...
/// </code></example>
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private IntPtr _handle;   // the rd_kafka_t that owns the mock cluster
    private readonly IntPtr _cluster;

    public MockKafkaCluster(int brokers = 1)
    {
        if (brokers < 1) throw new ArgumentOutOfRangeException(nameof(brokers), "a mock cluster needs at least one broker");
        Native.EnsureLoaded();
        var error = new StringBuilder(512);
        var conf = Native.rd_kafka_conf_new();
        // The owning client talks to no broker; without this it warns that it has no bootstrap servers.
        Native.rd_kafka_conf_set(conf, "log_level", "3", error, (UIntPtr)error.Capacity);
        _handle = Native.rd_kafka_new(1 /* consumer: owns no queue of records */, conf, error, (UIntPtr)error.Capacity);
        if (_handle == IntPtr.Zero) throw new InvalidOperationException($"librdkafka could not make a client for the mock cluster: {error}");
        _cluster = Native.rd_kafka_mock_cluster_new(_handle, brokers);
        if (_cluster == IntPtr.Zero) throw new InvalidOperationException("librdkafka could not start a mock cluster");
        BootstrapServers = Marshal.PtrToStringAnsi(Native.rd_kafka_mock_cluster_bootstraps(_cluster))!;
    }

    /// <summary>"127.0.0.1:port,..." of the mock brokers.</summary>
    public string BootstrapServers { get; }

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions.</summary>
    public void CreateTopic(string topic, int partitions = 1, int replicationFactor = 1)
    {
        var code = Native.rd_kafka_mock_topic_create(_cluster, topic, partitions, replicationFactor);
        if (code != 0) throw new InvalidOperationException($"the mock cluster could not create topic '{topic}': error {code}");
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests of API <paramref name="apiKey"/> (Kafka's numbering, e.g.
    /// 0 = Produce, 1 = Fetch) fail with <paramref name="error"/>: a broker error injected for a test.
    /// </summary>
    public void FailNextRequests(short apiKey, ErrorCode error, int count = 1)
    {
        var errors = Enumerable.Repeat((int)error, count).ToArray();
        Native.rd_kafka_mock_push_request_errors_array(_cluster, apiKey, (UIntPtr)count, errors);
    }

    public void Dispose()
    {
        if (_handle == IntPtr.Zero) return;
        Native.rd_kafka_mock_cluster_destroy(_cluster);
        Native.rd_kafka_destroy(_handle);
        _handle = IntPtr.Zero;
    }

    private static class Native
    {
        private const string Lib = "librdkafka";
        private static readonly object Gate = new();
        private static bool _resolving;

        /// <summary>Binds these imports to the librdkafka that Confluent.Kafka loaded, so one copy serves both.</summary>
        public static void EnsureLoaded()
        {
            lock (Gate)
            {
                if (_resolving) return;
                Library.Load();
                NativeLibrary.SetDllImportResolver(typeof(MockKafkaCluster).Assembly, (name, _, _) =>
                    name == Lib ? NativeLibrary.Load(LoadedPath()) : IntPtr.Zero);
                _resolving = true;
            }
        }

        private static string LoadedPath()
        {
            // Confluent.Kafka tries several builds of librdkafka (glibc, CentOS 8, musl) and keeps the first that
            // loads; the process's map names the one it got.
            if (OperatingSystem.IsLinux())
            {
                var mapped = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Where(f => f.Length >= 6 && Path.GetFileName(f[5]).Contains("librdkafka")).Select(f => f[5]).FirstOrDefault();
                if (mapped is not null) return mapped;
            }
            throw new PlatformNotSupportedException("the mock Kafka cluster finds librdkafka through /proc/self/maps, which only Linux has");
        }

        [DllImport(Lib)] public static extern IntPtr rd_kafka_conf_new();
        [DllImport(Lib)] public static extern int rd_kafka_conf_set(IntPtr conf, string name, string value, StringBuilder errstr, UIntPtr errstrSize);
        [DllImport(Lib)] public static extern IntPtr rd_kafka_new(int type, IntPtr conf, StringBuilder errstr, UIntPtr errstrSize);
        [DllImport(Lib)] public static extern void rd_kafka_destroy(IntPtr rk);
        [DllImport(Lib)] public static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokers);
        [DllImport(Lib)] public static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);
        [DllImport(Lib)] public static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);
        [DllImport(Lib)] public static extern int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);
        [DllImport(Lib)] public static extern void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);
    }
}
