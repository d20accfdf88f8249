using PyFlow.Engine.State;

namespace PyFlow.Engine.Tests.State;

/// <summary>
/// The contract every keyed state backend keeps (as Channels' ChannelTestBase does for
/// channels): each backend's fixture derives from this and only says how to make one.
/// </summary>
public abstract class KeyedStateBackendContract
{
    protected ManualClock Clock { get; private set; } = null!;
    private readonly List<IDisposable> _made = new();

    /// <summary>A fresh, empty backend with string keys on <paramref name="clock"/>.</summary>
    protected abstract IKeyedStateBackend<string> Create(TimeProvider clock);

    private IKeyedStateBackend<string> New()
    {
        var b = Create(Clock);
        _made.Add(b);
        return b;
    }

    [SetUp]
    public void MakeClock() => Clock = new ManualClock();

    [TearDown]
    public void DisposeBackends()
    {
        foreach (var b in _made) b.Dispose();
        _made.Clear();
    }

    [Test]
    public void ValueStateIsUnsetUntilWrittenAndScopedPerKey()
    {
        var b = New();
        var count = b.GetValueState(new ValueStateDescriptor<long>("count"));
        b.SetCurrentKey("a");
        Assert.That(count.TryGetValue(out _), Is.False);
        Assert.That(count.Value(), Is.EqualTo(0L));
        count.Update(5);
        b.SetCurrentKey("b");
        Assert.That(count.TryGetValue(out _), Is.False);
        count.Update(7);
        b.SetCurrentKey("a");
        Assert.That(count.Value(), Is.EqualTo(5L));
        count.Clear();
        Assert.That(count.TryGetValue(out _), Is.False);
        b.SetCurrentKey("b");
        Assert.That(count.Value(), Is.EqualTo(7L));
    }

    [Test]
    public void StateIsScopedPerNamespace()
    {
        var b = New();
        var s = b.GetValueState(new ValueStateDescriptor<string>("s"));
        b.SetCurrentKey("k");
        s.Update("outside");
        b.SetCurrentNamespace((0L, 10L));
        Assert.That(s.TryGetValue(out _), Is.False);
        s.Update("window 0-10");
        b.SetCurrentNamespace((10L, 20L));
        s.Update("window 10-20");
        b.SetCurrentNamespace((0L, 10L));
        Assert.That(s.Value(), Is.EqualTo("window 0-10"));
        b.SetCurrentNamespace(VoidNamespace.Instance);
        Assert.That(s.Value(), Is.EqualTo("outside"));
    }

    [Test]
    public void ListStateKeepsInsertionOrder()
    {
        var b = New();
        var list = b.GetListState(new ListStateDescriptor<int>("l"));
        b.SetCurrentKey("k");
        Assert.That(list.Get(), Is.Empty);
        list.Add(3);
        list.AddAll(new[] { 1, 2 });
        Assert.That(list.Get(), Is.EqualTo(new[] { 3, 1, 2 }));
        list.Update(new[] { 9 });
        Assert.That(list.Get(), Is.EqualTo(new[] { 9 }));
        list.Clear();
        Assert.That(list.Get(), Is.Empty);
    }

    [Test]
    public void MapStatePutsGetsAndRemovesPerKey()
    {
        var b = New();
        var map = b.GetMapState(new MapStateDescriptor<string, int>("m"));
        b.SetCurrentKey("k1");
        Assert.That(map.IsEmpty(), Is.True);
        map.Put("x", 1);
        map.PutAll(new Dictionary<string, int> { ["y"] = 2, ["z"] = 3 });
        Assert.That(map.TryGet("y", out var y) && y == 2, Is.True);
        Assert.That(map.Contains("q"), Is.False);
        Assert.That(map.Remove("x"), Is.True);
        Assert.That(map.Remove("x"), Is.False);
        Assert.That(map.Entries().OrderBy(e => e.Key).Select(e => (e.Key, e.Value)), Is.EqualTo(new[] { ("y", 2), ("z", 3) }));
        b.SetCurrentKey("k2");
        Assert.That(map.IsEmpty(), Is.True);
    }

    [Test]
    public void ReducingAndAggregatingStateCombineWhatIsAdded()
    {
        var b = New();
        var max = b.GetReducingState(new ReducingStateDescriptor<int>("max", Math.Max));
        var avg = b.GetAggregatingState(new AggregatingStateDescriptor<double, (double Sum, int N), double>("avg", new Average()));
        b.SetCurrentKey("k");
        Assert.That(max.TryGet(out _), Is.False);
        Assert.That(avg.TryGet(out _), Is.False);
        foreach (var v in new[] { 3, 9, 4 })
        {
            max.Add(v);
            avg.Add(v);
        }
        Assert.That(max.TryGet(out var m) ? m : -1, Is.EqualTo(9));
        Assert.That(avg.TryGet(out var a) ? a : -1, Is.EqualTo(16.0 / 3));
    }

    [Test]
    public void ExpiredStateIsNeverReturned()
    {
        var b = New();
        var d = new ValueStateDescriptor<int>("ttl");
        d.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromSeconds(10)));
        var s = b.GetValueState(d);
        b.SetCurrentKey("k");
        s.Update(1);
        Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.That(s.Value(), Is.EqualTo(1), "9 s old: alive");
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(s.TryGetValue(out _), Is.False, "10 s old: expired");
    }

    [Test]
    public void ReadsRefreshTtlOnlyWhenConfigured()
    {
        var b = New();
        var onWrite = new ValueStateDescriptor<int>("w");
        onWrite.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromSeconds(10)));
        var onRead = new ValueStateDescriptor<int>("r");
        onRead.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromSeconds(10), UpdateOnRead: true));
        var w = b.GetValueState(onWrite);
        var r = b.GetValueState(onRead);
        b.SetCurrentKey("k");
        w.Update(1);
        r.Update(1);
        Clock.Advance(TimeSpan.FromSeconds(6));
        _ = w.Value();
        _ = r.Value();
        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.That(w.TryGetValue(out _), Is.False);
        Assert.That(r.TryGetValue(out _), Is.True);
    }

    [Test]
    public void KeysListsTheKeysOfAStateInANamespace()
    {
        var b = New();
        var s = b.GetValueState(new ValueStateDescriptor<int>("s"));
        foreach (var k in new[] { "a", "b", "c" })
        {
            b.SetCurrentKey(k);
            s.Update(1);
        }
        b.SetCurrentKey("b");
        s.Clear();
        Assert.That(b.Keys("s", VoidNamespace.Instance).OrderBy(k => k), Is.EqualTo(new[] { "a", "c" }));
    }

    [Test]
    public void ASnapshotRestoresIntoAFreshBackend()
    {
        var b = New();
        var v = b.GetValueState(new ValueStateDescriptor<long>("v"));
        var l = b.GetListState(new ListStateDescriptor<string>("l"));
        var m = b.GetMapState(new MapStateDescriptor<string, double>("m"));
        b.SetCurrentKey("k1");
        v.Update(42);
        l.AddAll(new[] { "x", "y" });
        m.Put("pi", 3.14);
        b.SetCurrentKey("k2");
        v.Update(-1);

        var snapshot = new MemoryStream();
        b.Snapshot(snapshot);
        snapshot.Position = 0;
        var r = New();
        r.Restore(snapshot);
        var rv = r.GetValueState(new ValueStateDescriptor<long>("v"));
        var rl = r.GetListState(new ListStateDescriptor<string>("l"));
        var rm = r.GetMapState(new MapStateDescriptor<string, double>("m"));
        r.SetCurrentKey("k1");
        Assert.That(rv.Value(), Is.EqualTo(42L));
        Assert.That(rl.Get(), Is.EqualTo(new[] { "x", "y" }));
        Assert.That(rm.TryGet("pi", out var pi) ? pi : 0, Is.EqualTo(3.14));
        r.SetCurrentKey("k2");
        Assert.That(rv.Value(), Is.EqualTo(-1L));
    }

    [Test]
    public void OneNameCannotBeTwoKindsOfState()
    {
        var b = New();
        b.GetValueState(new ValueStateDescriptor<int>("x"));
        var e = Assert.Throws<InvalidOperationException>(() => b.GetListState(new ListStateDescriptor<int>("x")));
        Assert.That(e!.Message, Does.Contain("'x'"));
    }

    [Test]
    public void ARestoredStateDeclaredWithAnotherTypeOrKindIsRefusedNamingBoth()
    {
        var b = New();
        var v = b.GetValueState(new ValueStateDescriptor<long>("count"));
        b.SetCurrentKey("k");
        v.Update(7);
        var snapshot = Snapshot(b);

        var retyped = Restored(snapshot);
        var e = Assert.Throws<IncompatibleStateException>(() => retyped.GetValueState(new ValueStateDescriptor<string>("count")));
        Assert.That(e!.Message, Does.Contain("'count' is declared as ValueState<System.String>"));
        Assert.That(e.Message, Does.Contain("holds 'count' as ValueState<System.Int64>"));
        Assert.That(e.Message, Does.Contain("another name"));

        var rekinded = Restored(snapshot);
        e = Assert.Throws<IncompatibleStateException>(() => rekinded.GetListState(new ListStateDescriptor<long>("count")));
        Assert.That(e!.Message, Does.Contain("ListState<System.Int64>").And.Contain("ValueState<System.Int64>"));

        var same = Restored(snapshot).GetValueState(new ValueStateDescriptor<long>("count"));
        Assert.That(same, Is.Not.Null);
    }

    [Test]
    public void ARestoredStateNobodyAskedForStaysInTheNextSnapshot()
    {
        var b = New();
        b.GetMapState(new MapStateDescriptor<string, int>("seen"));
        var again = Restored(Snapshot(Restored(Snapshot(b))));
        var e = Assert.Throws<IncompatibleStateException>(() => again.GetMapState(new MapStateDescriptor<string, long>("seen")));
        Assert.That(e!.Message, Does.Contain("MapState<System.String, System.Int32>").And.Contain("MapState<System.String, System.Int64>"));
    }

    private static MemoryStream Snapshot(IKeyedStateBackend<string> b)
    {
        var snapshot = new MemoryStream();
        b.Snapshot(snapshot);
        snapshot.Position = 0;
        return snapshot;
    }

    private IKeyedStateBackend<string> Restored(MemoryStream snapshot)
    {
        var r = New();
        snapshot.Position = 0;
        r.Restore(snapshot);
        return r;
    }

    [Test]
    public void StateWithoutACurrentKeyIsAClearError()
    {
        var b = New();
        var s = b.GetValueState(new ValueStateDescriptor<int>("s"));
        var e = Assert.Throws<InvalidOperationException>(() => s.Update(1));
        Assert.That(e!.Message, Does.Contain("current key"));
    }

    private sealed class Average : IAggregateFunction<double, (double Sum, int N), double>
    {
        public (double Sum, int N) CreateAccumulator() => (0, 0);
        public (double Sum, int N) Add(double value, (double Sum, int N) acc) => (acc.Sum + value, acc.N + 1);
        public double GetResult((double Sum, int N) acc) => acc.Sum / acc.N;
        public (double Sum, int N) Merge((double Sum, int N) a, (double Sum, int N) b) => (a.Sum + b.Sum, a.N + b.N);
    }
}

public class HeapKeyedStateBackendTests : KeyedStateBackendContract
{
    protected override IKeyedStateBackend<string> Create(TimeProvider clock) => new HeapKeyedStateBackend<string>(clock);
}
