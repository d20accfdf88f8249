using PyFlow.Engine.Api;

namespace PyFlow.Engine.Tests;

public class JobGraphTests
{
    [Test]
    public void ForwardEdgesOfEqualParallelismAreChained()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.FromCollection(new[] { 1, 2, 3 }).Map(x => x + 1).Filter(x => x > 0).AddSink((_, _) => { });
        var graph = env.BuildJobGraph();
        // The collection source is non-parallel (1), so map+filter+sink form one chain at 2.
        Assert.That(graph.Vertices.Select(v => (v.Name, v.Parallelism)), Is.EqualTo(new[]
        {
            ("Collection Source", 1),
            ("Map -> Filter -> Sink", 2),
        }));
        Assert.That(graph.Edges, Has.Count.EqualTo(1));
        Assert.That(graph.Edges[0].Partitioner!.GetType().Name, Does.StartWith("RebalancePartitioner"));
    }

    [Test]
    public void KeyByBreaksTheChainWithAKeyedEdge()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.FromCollection(new[] { "a" }).Map(x => x).KeyBy(x => x).Reduce((a, _) => a).AddSink((_, _) => { });
        var graph = env.BuildJobGraph();
        Assert.That(graph.Vertices.Select(v => v.Name), Is.EqualTo(new[] { "Collection Source -> Map", "Keyed Reduce -> Sink" }));
        Assert.That(graph.Edges.Single().Keyed, Is.True);
    }

    [Test]
    public void AJobWithoutSinkIsRefusedWithAHint()
    {
        var env = new StreamExecutionEnvironment();
        env.FromCollection(new[] { 1 }).Map(x => x);
        var e = Assert.Throws<InvalidOperationException>(() => env.BuildJobGraph());
        Assert.That(e!.Message, Does.Contain("no sink"));
    }

    [Test]
    public void ANonParallelSourceRefusesHigherParallelism()
    {
        var env = new StreamExecutionEnvironment();
        env.FromCollection(new[] { 1 }).SetParallelism(3).AddSink((_, _) => { });
        var e = Assert.Throws<InvalidOperationException>(() => env.BuildJobGraph());
        Assert.That(e!.Message, Does.Contain("Collection Source").And.Contain("parallelism 1 at most"));
    }
}
