using System.Text.RegularExpressions;

namespace PyFlow.PyBridge.Wire;

/// <summary>
/// The option <c>pyflow.frame.max-size</c>: the largest frame on any PyFlow pipe. One frame carries one batch,
/// so a few huge records can outgrow the default (256 MiB). The plan carries the option, so the driver, the host
/// and the workers (in OPEN) use the same limit; the driver's twin is <c>pyflow/_protocol/frame_limit.py</c>.
/// </summary>
public static partial class FrameLimit
{
    public const string Key = "pyflow.frame.max-size";
    private const int Minimum = 1024 * 1024;

    /// <summary>The validated limit in bytes: <c>512 mb</c>, <c>1 gb</c> or plain bytes (units are powers of 1024).</summary>
    public static int FromConfig(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue(Key, out var text)) return Frames.MaxLength;
        var match = SizePattern().Match(text.ToLowerInvariant());
        long scale = !match.Success ? -1 : match.Groups[2].Value switch
        {
            "" or "b" => 1,
            "k" or "kb" => 1L << 10,
            "m" or "mb" => 1L << 20,
            "g" or "gb" => 1L << 30,
            _ => -1,
        };
        return scale > 0 && long.TryParse(match.Groups[1].Value, out var n) && n <= Frames.Ceiling && n * scale is >= Minimum and <= Frames.Ceiling
            ? (int)(n * scale)
            : throw new ArgumentException($"option '{Key}' must be a size from 1 mb to 1 gb (e.g. '512 mb'), not '{text}'");
    }

    /// <summary>Throws <see cref="FrameTooLargeException"/> when <paramref name="payloadLength"/> bytes do not fit a frame.</summary>
    public static void Check(long payloadLength, int maxLength, string what, string howToShrink)
    {
        if (payloadLength + 1 <= maxLength) return;
        throw new FrameTooLargeException($"{what} is {payloadLength + 1} bytes, over the frame limit of {maxLength} bytes; raise the option {Key} " +
            $"(at most 1 gb, e.g. '512 mb'), or {howToShrink}");
    }

    [GeneratedRegex(@"^\s*(\d+)\s*([a-z]*)\s*$")]
    private static partial Regex SizePattern();
}
