using System.Globalization;
using System.Numerics;

namespace PyFlow.PyBridge.Records;

/// <summary>
/// A decimal value in the engine (a BIG_DEC record's <see cref="PyRecord.Reference"/>): the unscaled
/// integer and the number of digits after the point, as Arrow's decimal128 stores it
/// (value = <see cref="Unscaled"/> × 10^-<see cref="Scale"/>). Immutable; equal, hashed and ordered by
/// value, so 1.5 and 1.50 are one value. <see cref="System.Decimal"/> cannot be used: it holds 28 digits,
/// BIG_DEC 38.
/// </summary>
public sealed class PyDecimal : IEquatable<PyDecimal>, IComparable<PyDecimal>
{
    /// <summary>The most digits decimal128 holds.</summary>
    public const int MaxPrecision = 38;

    private static readonly BigInteger Limit = BigInteger.Pow(10, MaxPrecision);

    public PyDecimal(Int128 unscaled, int scale)
    {
        if (scale is < 0 or > MaxPrecision) throw new ArgumentOutOfRangeException(nameof(scale), scale, $"a decimal's scale must be 0..{MaxPrecision}");
        if (BigInteger.Abs((BigInteger)unscaled) >= Limit) throw new ArgumentOutOfRangeException(nameof(unscaled), unscaled, $"a decimal holds at most {MaxPrecision} digits");
        Unscaled = unscaled;
        Scale = scale;
    }

    public Int128 Unscaled { get; }
    public int Scale { get; }

    /// <summary>
    /// The value of <paramref name="value"/> at <paramref name="scale"/> digits after the point; an
    /// <see cref="OverflowException"/> naming the value when it has more digits after the point, or
    /// more than <paramref name="precision"/> in all: it is never rounded.
    /// </summary>
    public static PyDecimal FromDecimal(decimal value, int precision, int scale)
    {
        var bits = decimal.GetBits(value);
        var magnitude = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | (uint)bits[0];
        var valueScale = (bits[3] >> 16) & 0xff;
        if (valueScale > scale)
        {
            var divisor = BigInteger.Pow(10, valueScale - scale);
            if (!(magnitude % divisor).IsZero) throw new OverflowException($"decimal {value} has more than {scale} digits after the point");
            magnitude /= divisor;
        }
        else magnitude *= BigInteger.Pow(10, scale - valueScale);
        if (magnitude >= BigInteger.Pow(10, precision)) throw new OverflowException($"decimal {value} has more than {precision} digits (DECIMAL({precision}, {scale}))");
        return new PyDecimal((Int128)(bits[3] < 0 ? -magnitude : magnitude), scale);
    }

    /// <summary>The unscaled integer with trailing zeros after the point removed: the same for equal values.</summary>
    private (Int128 Unscaled, int Scale) Normal()
    {
        var (u, s) = (Unscaled, Scale);
        while (s > 0 && u % 10 == 0) { u /= 10; s--; }
        return (u, s);
    }

    public bool Equals(PyDecimal? other) => other is not null && Normal() == other.Normal();
    public override bool Equals(object? obj) => obj is PyDecimal d && Equals(d);
    public override int GetHashCode() => Normal().GetHashCode();

    public int CompareTo(PyDecimal? other)
    {
        if (other is null) return 1;
        var scale = Math.Max(Scale, other.Scale);
        return ((BigInteger)Unscaled * BigInteger.Pow(10, scale - Scale)).CompareTo((BigInteger)other.Unscaled * BigInteger.Pow(10, scale - other.Scale));
    }

    /// <summary>Plain text with exactly <see cref="Scale"/> digits after the point (Python's <c>str(Decimal)</c> of a wire value, for non-zero values).</summary>
    public override string ToString()
    {
        var digits = BigInteger.Abs((BigInteger)Unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(Scale + 1, '0');
        var text = Scale == 0 ? digits : digits[..^Scale] + "." + digits[^Scale..];
        return Unscaled < 0 ? "-" + text : text;
    }
}
