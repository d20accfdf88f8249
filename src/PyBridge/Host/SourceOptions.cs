using PyFlow.Engine.Sources;

namespace PyFlow.Host;

/// <summary>
/// The <c>pyflow.source.*</c> options of a plan (PyFlow's own: Flink has none for this), read into
/// the engine's <see cref="LineReadOptions"/> for the text file sources. The driver checks them too
/// (<c>pyflow/datastream/_source_options.py</c>); this is the host's check, for plans made elsewhere.
/// </summary>
internal static class SourceOptions
{
    public const string InvalidUtf8Key = "pyflow.source.invalid-utf8";
    public const string MaxLineLengthKey = "pyflow.source.max-line-length";
    private static readonly string[] Known = { InvalidUtf8Key, MaxLineLengthKey };

    public static LineReadOptions FromConfig(IReadOnlyDictionary<string, string> config)
    {
        foreach (var key in config.Keys)
            if (key.StartsWith("pyflow.source.", StringComparison.Ordinal) && !Known.Contains(key))
                throw new PlanException(null, $"unknown option '{key}'; the pyflow.source.* options are: {string.Join(", ", Known)}");
        var options = LineReadOptions.Default;
        if (config.TryGetValue(InvalidUtf8Key, out var policy))
            options = options with
            {
                InvalidUtf8 = policy.Trim().ToLowerInvariant() switch
                {
                    "fail" => InvalidUtf8Policy.Fail,
                    "replace" => InvalidUtf8Policy.Replace,
                    _ => throw new PlanException(null, $"option '{InvalidUtf8Key}' must be 'fail' or 'replace', not '{policy}'"),
                },
            };
        if (config.TryGetValue(MaxLineLengthKey, out var size))
            options = options with { MaxLineBytes = Bytes(MaxLineLengthKey, size) };
        return options;
    }

    /// <summary>Flink's memory size text: a count of bytes, or with a unit (<c>kb</c>, <c>mb</c>, <c>gb</c>: powers of 1024).</summary>
    private static int Bytes(string key, string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var digits = 0;
        while (digits < t.Length && char.IsAsciiDigit(t[digits])) digits++;
        long scale = t[digits..].Trim() switch
        {
            "" or "b" or "bytes" => 1,
            "k" or "kb" or "kibibytes" => 1L << 10,
            "m" or "mb" or "mebibytes" => 1L << 20,
            "g" or "gb" or "gibibytes" => 1L << 30,
            _ => -1,
        };
        var range = $"between 1 byte and {LineReadOptions.MaxAllowedLineBytes} bytes (1 gb)";
        if (digits == 0 || scale < 0 || !long.TryParse(t[..digits], out var n))
            throw new PlanException(null, $"option '{key}' must be a size such as '64 mb' or '1048576', {range}; not '{text}'");
        if (n < 1 || n > LineReadOptions.MaxAllowedLineBytes / scale)
            throw new PlanException(null, $"option '{key}' = '{text}' is out of range: it must be {range}");
        return (int)(n * scale);
    }
}
