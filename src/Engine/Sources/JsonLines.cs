using System.Text.Json;

namespace PyFlow.Engine.Sources;

/// <summary>The parser of <c>ReadJsonLines</c>: one JSON document per line, read with System.Text.Json.</summary>
internal static class JsonLines
{
    /// <summary>
    /// Deserializes a line to <typeparamref name="T"/>. A line that is JSON <c>null</c> is a bad
    /// line rather than a null record, so a stream of <typeparamref name="T"/> never carries a
    /// null a downstream function did not expect.
    /// </summary>
    public static Func<string, T> Parser<T>(JsonSerializerOptions? options) => line =>
        JsonSerializer.Deserialize<T>(line, options) ?? throw new JsonException($"the line is JSON null, not a {typeof(T).Name}");

    /// <summary>Blank lines hold no document and are not records (a trailing empty line, say).</summary>
    public static bool IsBlank(string line) => string.IsNullOrWhiteSpace(line);
}
