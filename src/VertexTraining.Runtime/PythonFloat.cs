using System.Globalization;

namespace VertexTraining.Runtime;

/// <summary>
/// Formats doubles exactly as Python 3's <c>repr(float)</c> (and therefore <c>str(float)</c> and
/// <c>json.dumps</c>) does, so the hypertune file matches the one cloudml-hypertune writes byte for byte.
/// </summary>
internal static class PythonFloat
{
    /// <summary>
    /// Python switches to scientific notation when the decimal exponent is below -4 or at least 16
    /// (<c>float_repr_style = 'short'</c>, <c>PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0)</c>).
    /// </summary>
    private const int MinFixedExponent = -4;
    private const int MaxFixedExponent = 15;

    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (negative, digits, exponent) = ShortestDigits(value);
        var sign = negative ? "-" : "";

        if (exponent < MinFixedExponent || exponent > MaxFixedExponent)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            var exponentSign = exponent < 0 ? "-" : "+";
            return sign + mantissa + "e" + exponentSign + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        // Position of the decimal point counted from the start of the digit string.
        var point = exponent + 1;
        if (point <= 0)
        {
            return sign + "0." + new string('0', -point) + digits;
        }

        if (point < digits.Length)
        {
            return sign + digits[..point] + "." + digits[point..];
        }

        return sign + digits + new string('0', point - digits.Length) + ".0";
    }

    /// <summary>
    /// Splits the shortest round-trip representation into its significant digits (no leading or trailing
    /// zeros) and the decimal exponent of the first digit. .NET (since Core 3.0) and Python both produce the
    /// shortest digit string that round-trips, choosing the one closest to the exact value, so only the
    /// layout differs between them.
    /// </summary>
    private static (bool Negative, string Digits, int Exponent) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exponentPart = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponentPart = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.');
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fractionPart = dot >= 0 ? text[(dot + 1)..] : "";
        var allDigits = integerPart + fractionPart;

        var firstNonZero = 0;
        while (allDigits[firstNonZero] == '0')
        {
            firstNonZero++;
        }

        var digits = allDigits[firstNonZero..].TrimEnd('0');
        var exponent = integerPart.Length - 1 - firstNonZero + exponentPart;
        return (negative, digits, exponent);
    }
}
