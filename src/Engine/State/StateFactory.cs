using System.Reflection;

namespace PyFlow.Engine.State;

/// <summary>Gets the state handle a descriptor asks for from a backend, whatever the descriptor's type arguments.</summary>
internal static class StateFactory
{
    public static object Create<TKey>(IKeyedStateBackend<TKey> backend, StateDescriptor d) where TKey : notnull
    {
        var type = d.GetType();
        if (!type.IsGenericType) throw new ArgumentException($"unknown state descriptor {type.Name}");
        var args = type.GetGenericArguments();
        var method = type.GetGenericTypeDefinition() switch
        {
            var t when t == typeof(ValueStateDescriptor<>) => nameof(IKeyedStateBackend<TKey>.GetValueState),
            var t when t == typeof(ListStateDescriptor<>) => nameof(IKeyedStateBackend<TKey>.GetListState),
            var t when t == typeof(MapStateDescriptor<,>) => nameof(IKeyedStateBackend<TKey>.GetMapState),
            var t when t == typeof(ReducingStateDescriptor<>) => nameof(IKeyedStateBackend<TKey>.GetReducingState),
            var t when t == typeof(AggregatingStateDescriptor<,,>) => nameof(IKeyedStateBackend<TKey>.GetAggregatingState),
            _ => throw new ArgumentException($"unknown state descriptor {type.Name}"),
        };
        var generic = typeof(IKeyedStateBackend<TKey>).GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!;
        return generic.MakeGenericMethod(args).Invoke(backend, new object[] { d })!;
    }
}
