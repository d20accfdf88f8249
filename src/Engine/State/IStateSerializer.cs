using MessagePack;
using MessagePack.Resolvers;

namespace PyFlow.Engine.State;

/// <summary>Turns keys, namespaces and values into bytes, for snapshots and for the RocksDB backend.</summary>
public interface IStateSerializer
{
    byte[] Serialize<T>(T value);
    T Deserialize<T>(ReadOnlyMemory<byte> bytes);
}

/// <summary>
/// MessagePack, contractless: any C# type with public members (records, tuples, primitives,
/// collections) without attributes. Deterministic for a given value and type, so serialized
/// keys compare by value.
/// </summary>
public sealed class MessagePackStateSerializer : IStateSerializer
{
    public static readonly MessagePackStateSerializer Instance = new();

    private static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolverAllowPrivate.Instance);

    public byte[] Serialize<T>(T value) => MessagePackSerializer.Serialize(value, Options);

    public T Deserialize<T>(ReadOnlyMemory<byte> bytes) => MessagePackSerializer.Deserialize<T>(bytes, Options);
}
