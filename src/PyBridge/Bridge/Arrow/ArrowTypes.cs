using Apache.Arrow.Types;

namespace PyFlow.PyBridge.Arrow;

/// <summary>
/// Whether a column's Arrow type is the one a <see cref="Types.PyType"/> needs, parameters included:
/// the type id alone would read a time32[s] column as milliseconds, or a decimal of another scale as
/// BIG_DEC's. Nested types are checked child by child as they are read.
/// </summary>
internal static class ArrowTypes
{
    public static bool Same(IArrowType actual, IArrowType expected) => (actual, expected) switch
    {
        (TimestampType a, TimestampType e) => a.Unit == e.Unit && Zone(a.Timezone) == Zone(e.Timezone),
        (Time32Type a, Time32Type e) => a.Unit == e.Unit,
        (Time64Type a, Time64Type e) => a.Unit == e.Unit,
        (Decimal128Type a, Decimal128Type e) => a.Precision == e.Precision && a.Scale == e.Scale,
        _ => actual.TypeId == expected.TypeId,
    };

    /// <summary>The type with its parameters, for error messages ("timestamp[us, tz=UTC]", "decimal128(38, 18)").</summary>
    public static string Describe(IArrowType type) => type switch
    {
        TimestampType t => $"timestamp[{Unit(t.Unit)}{(string.IsNullOrEmpty(t.Timezone) ? "" : $", tz={t.Timezone}")}]",
        Time32Type t => $"time32[{Unit(t.Unit)}]",
        Time64Type t => $"time64[{Unit(t.Unit)}]",
        Decimal128Type d => $"decimal128({d.Precision}, {d.Scale})",
        _ => type.Name,
    };

    // A naive timestamp has no zone; the spellings of UTC are one zone.
    private static string Zone(string? zone) => zone switch
    {
        null or "" => "",
        "UTC" or "+00:00" or "Etc/UTC" => "UTC",
        _ => zone,
    };

    private static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };
}
