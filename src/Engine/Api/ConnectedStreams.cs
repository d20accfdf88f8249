using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Graph;
using PyFlow.Engine.Operators;
using PyFlow.Engine.Partitioning;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Api;

/// <summary>Two streams, possibly of different types, processed together (Flink's ConnectedStreams).</summary>
public sealed class ConnectedStreams<T1, T2>
{
    internal ConnectedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        if (first.Environment != second.Environment) throw new ArgumentException("connect of streams from different environments");
        First = first;
        Second = second;
    }

    public DataStream<T1> First { get; }
    public DataStream<T2> Second { get; }

    public DataStream<TOut> Map<TOut>(Func<T1, TOut> map1, Func<T2, TOut> map2, string name = "Co-Map")
    {
        ArgumentNullException.ThrowIfNull(map1);
        ArgumentNullException.ThrowIfNull(map2);
        return FlatMap<TOut>((v, o) => o.Collect(map1(v)), (v, o) => o.Collect(map2(v)), name);
    }

    public DataStream<TOut> FlatMap<TOut>(Action<T1, ICollector<TOut>> flatMap1, Action<T2, ICollector<TOut>> flatMap2, string name = "Co-Flat Map")
    {
        ArgumentNullException.ThrowIfNull(flatMap1);
        ArgumentNullException.ThrowIfNull(flatMap2);
        return Transform<TOut>(name, (ctx, output) => new CoFlatMapOperator<T1, T2, TOut>(flatMap1, flatMap2, output, ctx.Options.BatchSize));
    }

    public DataStream<TOut> Process<TOut>(CoProcessFunction<T1, T2, TOut> function, string name = "Co-Process")
    {
        ArgumentNullException.ThrowIfNull(function);
        return Transform<TOut>(name, (ctx, output) => new CoProcessOperator<T1, T2, TOut>(function, output, ctx));
    }

    /// <summary>Keys both inputs alike: records with equal keys meet in one subtask, with one keyed state.</summary>
    public KeyedConnectedStreams<TKey, T1, T2> KeyBy<TKey>(Func<T1, TKey> key1, Func<T2, TKey> key2) where TKey : notnull =>
        new(First.KeyBy(key1), Second.KeyBy(key2));

    internal DataStream<TOut> Transform<TOut>(string name, Func<OperatorContext, IBatchConsumer<TOut>, ITwoInputConsumer<T1, T2>> factory) =>
        new(First.Environment, new TwoInputTransformation<T1, T2, TOut>(name, First.Transformation, Second.Transformation, factory));
}

/// <summary>Connected streams keyed alike (Flink's keyed ConnectedStreams).</summary>
public sealed class KeyedConnectedStreams<TKey, T1, T2> where TKey : notnull
{
    private readonly KeyedStream<T1, TKey> _first;
    private readonly KeyedStream<T2, TKey> _second;

    internal KeyedConnectedStreams(KeyedStream<T1, TKey> first, KeyedStream<T2, TKey> second)
    {
        _first = first;
        _second = second;
    }

    public DataStream<TOut> Process<TOut>(KeyedCoProcessFunction<TKey, T1, T2, TOut> function, string name = "Keyed Co-Process")
    {
        ArgumentNullException.ThrowIfNull(function);
        return new ConnectedStreams<T1, T2>(_first, _second).Transform<TOut>(name, (ctx, output) =>
            new KeyedCoProcessOperator<TKey, T1, T2, TOut>(function, _first.KeySelector, _second.KeySelector, output, ctx));
    }
}
