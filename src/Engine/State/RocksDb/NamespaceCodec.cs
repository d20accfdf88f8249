using System.Reflection;
using System.Text;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// Namespaces in RocksDB keys. A namespace is any object (the void namespace, a window, a
/// tuple), and MessagePack writes 5 and 5L, or two records with the same members, as the same
/// bytes; so every namespace but the void one is written after its type's name:
/// <c>0x00</c> for <see cref="VoidNamespace"/>, else <c>0x01</c>, the type name as a MessagePack
/// string, then the value as its own type. The type name has no assembly version, so bytes stay
/// the same across .NET versions (a snapshot restores into a newer runtime).
/// </summary>
/// <remarks>
/// The encoding is prefix-free (each part says its own length), so "key, namespace" is a prefix
/// of exactly the map entries of that key and namespace. Namespaces are only ever encoded and
/// compared, never decoded.
/// </remarks>
internal sealed class NamespaceCodec
{
    private const byte VoidTag = 0x00;
    private const byte TypedTag = 0x01;
    private static readonly byte[] VoidBytes = [VoidTag];
    private static readonly MethodInfo SerializerOf = typeof(NamespaceCodec).GetMethod(nameof(TypedSerializer), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly IStateSerializer _serializer;
    private readonly Dictionary<Type, (byte[] Tag, Func<object, byte[]> Serialize)> _types = new();
    // Window operators set the same namespace for many records in a row.
    private object _last = VoidNamespace.Instance;
    private byte[] _lastBytes = VoidBytes;

    public NamespaceCodec(IStateSerializer serializer) => _serializer = serializer;

    public byte[] Encode(object ns)
    {
        if (ns is VoidNamespace) return VoidBytes;
        if (ns.GetType() == _last.GetType() && ns.Equals(_last)) return _lastBytes;
        if (!_types.TryGetValue(ns.GetType(), out var type)) _types[ns.GetType()] = type = Describe(ns.GetType());
        var value = type.Serialize(ns);
        var bytes = new byte[type.Tag.Length + value.Length];
        type.Tag.CopyTo(bytes, 0);
        value.CopyTo(bytes, type.Tag.Length);
        _last = ns;
        _lastBytes = bytes;
        return bytes;
    }

    private (byte[], Func<object, byte[]>) Describe(Type type)
    {
        var name = Encoding.UTF8.GetBytes(StableName(type));
        var tag = new byte[1 + 5 + name.Length];
        tag[0] = TypedTag;
        int header = WriteStr32Header(tag.AsSpan(1), name.Length);
        name.CopyTo(tag, 1 + header);
        // Serialize as the runtime type (Serialize<object> would depend on the serializer's idea of object).
        var serialize = (Func<object, byte[]>)SerializerOf.MakeGenericMethod(type).Invoke(null, [_serializer])!;
        return (tag[..(1 + header + name.Length)], serialize);
    }

    private static Func<object, byte[]> TypedSerializer<T>(IStateSerializer serializer) => ns => serializer.Serialize((T)ns);

    // MessagePack str 32 header: a fixed width keeps this simple; the tag is built once per type.
    private static int WriteStr32Header(Span<byte> into, int length)
    {
        into[0] = 0xdb;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(into[1..], length);
        return 5;
    }

    /// <summary>Namespace-qualified name with generic arguments spelt out, without assembly versions.</summary>
    internal static string StableName(Type t)
    {
        if (t.IsArray) return StableName(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (!t.IsGenericType) return t.FullName ?? t.Name;
        var definition = t.GetGenericTypeDefinition();
        return (definition.FullName ?? definition.Name) + "[" + string.Join(",", t.GetGenericArguments().Select(StableName)) + "]";
    }
}
