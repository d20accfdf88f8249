using PyFlow.Engine.State;
using PyFlow.Engine.State.RocksDb;

namespace PyFlow.Engine.Tests.State;

/// <summary>The keyed state contract on RocksDB, plus what only RocksDB has: a directory, per-element TTL, its snapshot format.</summary>
public class RocksDbKeyedStateBackendTests : KeyedStateBackendContract
{
    // Small buffers: a test writes a few entries, and RocksDB allocates memtables lazily anyway.
    private static readonly RocksDbOptions TestOptions = new()
    {
        DeleteDirectoryOnDispose = true,
        WriteBufferBytes = 1 << 20,
        TotalWriteBufferBytes = 8 << 20,
        BlockCacheBytes = 1 << 20,
    };

    private string _root = null!;

    [OneTimeSetUp]
    public void MakeRoot() => _root = Path.Combine(Path.GetTempPath(), "pyflow-rocksdb-tests-" + Guid.NewGuid().ToString("N"));

    // Backends delete their own directories when disposed; this removes what a failed test left.
    [OneTimeTearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    protected override IKeyedStateBackend<string> Create(TimeProvider clock) =>
        new RocksDbKeyedStateBackend<string>(NewDirectory(), clock, options: TestOptions);

    private string NewDirectory() => Path.Combine(_root, Guid.NewGuid().ToString("N"));

    [Test]
    public void DisposeDeletesTheDirectoryItWasToldToOwn()
    {
        var dir = NewDirectory();
        var b = new RocksDbKeyedStateBackend<string>(dir, Clock, options: TestOptions);
        Assert.That(Directory.Exists(dir), Is.True);
        b.Dispose();
        Assert.That(Directory.Exists(dir), Is.False);
    }

    [Test]
    public void ADirectoryInUseIsAnErrorNamingIt()
    {
        var dir = NewDirectory();
        using var first = new RocksDbKeyedStateBackend<string>(dir, Clock, options: TestOptions);
        var e = Assert.Throws<IOException>(() => new RocksDbKeyedStateBackend<string>(dir, Clock, options: new RocksDbOptions()));
        Assert.That(e!.Message, Does.Contain(dir));
    }

    [Test]
    public void StateSurvivesReopeningItsDirectory()
    {
        var dir = NewDirectory();
        using (var b = new RocksDbKeyedStateBackend<string>(dir, Clock))
        {
            var v = b.GetValueState(new ValueStateDescriptor<int>("v"));
            b.SetCurrentKey("k");
            v.Update(7); // only in the memtable (no WAL): closing flushes it
        }
        using var reopened = new RocksDbKeyedStateBackend<string>(dir, Clock, options: TestOptions);
        Assert.That(reopened.Keys("v", VoidNamespace.Instance), Is.EqualTo(new[] { "k" }));
        reopened.SetCurrentKey("k");
        Assert.That(reopened.GetValueState(new ValueStateDescriptor<int>("v")).Value(), Is.EqualTo(7));
    }

    [Test]
    public void NamespacesOfDifferentTypesNeverCollide()
    {
        using var b = (RocksDbKeyedStateBackend<string>)Create(Clock);
        var s = b.GetValueState(new ValueStateDescriptor<string>("s"));
        b.SetCurrentKey("k");
        b.SetCurrentNamespace(5L);
        s.Update("long");
        b.SetCurrentNamespace(5);
        Assert.That(s.TryGetValue(out _), Is.False, "5 and 5L serialize alike; the type name keeps them apart");
        s.Update("int");
        b.SetCurrentNamespace((5L, 6L));
        s.Update("tuple");
        b.SetCurrentNamespace(5L);
        Assert.That(s.Value(), Is.EqualTo("long"));
        Assert.That(b.Keys("s", 5), Is.EqualTo(new[] { "k" }));
        Assert.That(b.Keys("s", "5"), Is.Empty);
    }

    [Test]
    public void KeysListsAMapStateKeyOnceAndOnlyInItsNamespace()
    {
        using var b = (RocksDbKeyedStateBackend<string>)Create(Clock);
        var m = b.GetMapState(new MapStateDescriptor<int, int>("m"));
        foreach (var k in new[] { "a", "b" })
        {
            b.SetCurrentKey(k);
            m.PutAll(new Dictionary<int, int> { [1] = 1, [2] = 2, [3] = 3 });
        }
        b.SetCurrentNamespace((0L, 10L));
        m.Put(9, 9);
        Assert.That(b.Keys("m", VoidNamespace.Instance).OrderBy(k => k), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(b.Keys("m", (0L, 10L)), Is.EqualTo(new[] { "b" }));
        m.Clear();
        Assert.That(b.Keys("m", (0L, 10L)), Is.Empty);
        b.SetCurrentNamespace(VoidNamespace.Instance);
        Assert.That(m.Entries().Count, Is.EqualTo(3), "clearing one namespace leaves the others");
    }

    [Test]
    public void ListAndMapElementsExpireOneByOne()
    {
        using var b = (RocksDbKeyedStateBackend<string>)Create(Clock);
        var ld = new ListStateDescriptor<int>("l");
        ld.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromSeconds(10)));
        var md = new MapStateDescriptor<string, int>("m");
        md.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromSeconds(10)));
        var l = b.GetListState(ld);
        var m = b.GetMapState(md);
        b.SetCurrentKey("k");
        l.Add(1);
        m.Put("old", 1);
        Clock.Advance(TimeSpan.FromSeconds(6));
        l.Add(2);
        m.Put("new", 2);
        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.That(l.Get(), Is.EqualTo(new[] { 2 }));
        Assert.That(m.Entries().Select(e => e.Key), Is.EqualTo(new[] { "new" }));
        Assert.That(m.Contains("old"), Is.False);
        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.That(l.Get(), Is.Empty);
        Assert.That(m.IsEmpty(), Is.True);
        Assert.That(b.Keys("l", VoidNamespace.Instance), Is.Empty, "expired elements were deleted when found");
    }

    [Test]
    public void ListAddsAreMergesReadBackInOrder()
    {
        using var b = (RocksDbKeyedStateBackend<string>)Create(Clock);
        var l = b.GetListState(new ListStateDescriptor<string>("l"));
        b.SetCurrentKey("k");
        for (int i = 0; i < 100; i++) l.Add("e" + i);
        l.AddAll(new[] { "x", "y" });
        Assert.That(l.Get(), Is.EqualTo(Enumerable.Range(0, 100).Select(i => "e" + i).Concat(new[] { "x", "y" })));
        l.Update(Array.Empty<string>());
        Assert.That(b.Keys("l", VoidNamespace.Instance), Is.Empty, "updating to an empty list clears it");
    }

    [Test]
    public void RestoreReplacesEverythingAndKeepsHandlesWorking()
    {
        using var b = (RocksDbKeyedStateBackend<string>)Create(Clock);
        var v = b.GetValueState(new ValueStateDescriptor<int>("v"));
        b.SetCurrentKey("kept");
        v.Update(1);
        var snapshot = new MemoryStream();
        b.Snapshot(snapshot);
        b.SetCurrentKey("dropped");
        v.Update(2);
        snapshot.Position = 0;
        b.Restore(snapshot);
        Assert.That(b.Keys("v", VoidNamespace.Instance), Is.EqualTo(new[] { "kept" }));
        b.SetCurrentKey("kept");
        Assert.That(v.Value(), Is.EqualTo(1), "a handle taken before the restore reads the restored state");
    }

    [Test]
    public void AHeapSnapshotIsRefusedAndLeavesTheStateAlone()
    {
        var heap = new HeapKeyedStateBackend<string>(Clock);
        heap.SetCurrentKey("k");
        heap.GetValueState(new ValueStateDescriptor<int>("v")).Update(1);
        var snapshot = new MemoryStream();
        heap.Snapshot(snapshot);
        snapshot.Position = 0;

        using var b = (RocksDbKeyedStateBackend<string>)Create(Clock);
        var v = b.GetValueState(new ValueStateDescriptor<int>("v"));
        b.SetCurrentKey("mine");
        v.Update(3);
        var e = Assert.Throws<InvalidDataException>(() => b.Restore(snapshot));
        Assert.That(e!.Message, Does.Contain("RocksDB"));
        Assert.That(v.Value(), Is.EqualTo(3));
    }
}

public class RocksDbStateBackendFactoryTests
{
    [Test]
    public void EachSubtaskGetsItsOwnDirectoryDeletedOnDispose()
    {
        var root = Path.Combine(Path.GetTempPath(), "pyflow-rocksdb-factory-" + Guid.NewGuid().ToString("N"));
        try
        {
            var factory = new RocksDbStateBackendFactory(Path.Combine(root, "local"), new RocksDbOptions { WriteBufferBytes = 1 << 20, BlockCacheBytes = 1 << 20 });
            var job = factory.BeginJob();
            var a = factory.Create<string>("count words/keyed", 0, TimeProvider.System);
            var b = factory.Create<string>("count words/keyed", 0, TimeProvider.System);
            var jobDir = Directory.GetDirectories(Path.Combine(root, "local")).Single();
            Assert.That(Directory.GetDirectories(jobDir), Has.Length.EqualTo(2));
            Assert.That(Directory.GetDirectories(jobDir).Select(Path.GetFileName), Has.All.StartsWith("op_count_words_keyed_0_"));
            if (!OperatingSystem.IsWindows())
                foreach (var d in Directory.GetDirectories(jobDir).Append(jobDir).Append(Path.Combine(root, "local")).Append(root))
                    Assert.That(File.GetUnixFileMode(d), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), d);
            a.Dispose();
            b.Dispose();
            Assert.That(Directory.GetDirectories(jobDir), Is.Empty);
            job.Dispose();
            Assert.That(Directory.Exists(jobDir), Is.False, "the job's directory goes with the job");
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
