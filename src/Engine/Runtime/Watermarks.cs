namespace PyFlow.Engine.Runtime;

/// <summary>Watermark constants, as Flink's.</summary>
public static class Watermarks
{
    /// <summary>The watermark before any was seen.</summary>
    public const long Initial = long.MinValue;

    /// <summary>The final watermark at the end of bounded input: fires every pending window and timer.</summary>
    public const long Max = long.MaxValue;
}
