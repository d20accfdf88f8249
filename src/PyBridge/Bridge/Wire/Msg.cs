using MessagePack;

namespace PyFlow.PyBridge.Wire;

/// <summary>
/// MessagePack maps as the protocols use them: <c>Dictionary&lt;string, object?&gt;</c> on the
/// way out; on the way in, typed field access that names the field when it is missing or wrong.
/// </summary>
public static class Msg
{
    private static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    public static byte[] Pack(object value) => MessagePackSerializer.Serialize(value, Options);

    public static IReadOnlyDictionary<object, object?> Unpack(ReadOnlyMemory<byte> payload, string what)
    {
        try
        {
            return MessagePackSerializer.Deserialize<object>(payload, Options) as IReadOnlyDictionary<object, object?>
                ?? throw new ProtocolException($"{what}: expected a msgpack map");
        }
        catch (MessagePackSerializationException e)
        {
            throw new ProtocolException($"{what}: corrupt msgpack ({e.Message})");
        }
    }

    public static string Str(this IReadOnlyDictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is string s ? s : throw Missing(key, "a string", v);

    public static string? OptStr(this IReadOnlyDictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var v) ? v as string : null;

    public static long Int(this IReadOnlyDictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is sbyte or byte or short or ushort or int or uint or long or ulong ? Convert.ToInt64(v) : throw Missing(key, "an integer", v);

    public static byte[] Bytes(this IReadOnlyDictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is byte[] b ? b : throw Missing(key, "bytes", v);

    public static IReadOnlyDictionary<object, object?> Map(this IReadOnlyDictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is IReadOnlyDictionary<object, object?> m ? m : throw Missing(key, "a map", v);

    public static object?[] List(this IReadOnlyDictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is object?[] a ? a : throw Missing(key, "a list", v);

    private static ProtocolException Missing(string key, string expected, object? got) =>
        new($"field '{key}' should be {expected}, got {(got == null ? "nothing" : got.GetType().Name)}");
}
