using System.Globalization;

namespace VertexTraining.Runtime;

/// <summary>
/// Reads hyperparameter values as typed values, invariant culture, leniently where Vertex AI's own
/// encodings call for it (DISCRETE integer values can arrive as <c>256.0</c>).
/// </summary>
internal static class HyperparameterValueParser
{
    public static T Parse<T>(string name, string text)
    {
        var type = typeof(T);
        object? value;
        if (type == typeof(string))
        {
            value = text;
        }
        else if (type == typeof(double))
        {
            value = ParseDouble(name, text, type);
        }
        else if (type == typeof(float))
        {
            value = (float)ParseDouble(name, text, type);
        }
        else if (type == typeof(decimal))
        {
            value = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw Malformed(name, text, type);
        }
        else if (type == typeof(int))
        {
            value = (int)ParseInteger(name, text, type, int.MinValue, int.MaxValue);
        }
        else if (type == typeof(long))
        {
            value = ParseInteger(name, text, type, long.MinValue, long.MaxValue);
        }
        else if (type == typeof(bool))
        {
            value = ParseBoolean(name, text);
        }
        else if (type.IsEnum)
        {
            value = ParseEnum(name, text, type);
        }
        else
        {
            throw new NotSupportedException(
                $"Hyperparameters cannot be read as {type.Name}. Read them as string, double, float, decimal, int, long, bool or an enum.");
        }

        return (T)value;
    }

    /// <summary>How the expected type is described in error messages.</summary>
    public static string Describe(Type type) =>
        type == typeof(string) ? "String (any text)"
        : type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? $"{type.Name} (a number such as 0.01 or 1e-05)"
        : type == typeof(int) || type == typeof(long) ? $"{type.Name} (a whole number such as 32 or 32.0)"
        : type == typeof(bool) ? "Boolean (true/false, 1/0, yes/no, on/off)"
        : type.IsEnum ? $"{type.Name} (one of {string.Join(", ", Enum.GetNames(type))})"
        : type.Name;

    private static double ParseDouble(string name, string text, Type type)
    {
        // Python's float() spellings, which a Python-minded study definition or launcher may pass through.
        switch (text.Trim().ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity": return double.PositiveInfinity;
            case "-inf" or "-infinity": return double.NegativeInfinity;
            case "nan" or "+nan" or "-nan": return double.NaN;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(name, text, type);
    }

    private static long ParseInteger(string name, string text, Type type, long min, long max)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
        {
            return whole >= min && whole <= max ? whole : throw OutOfRange(name, text, type);
        }

        // Vertex sends DISCRETE values as doubles ("256.0"); accept them when they are whole numbers.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            throw Malformed(name, text, type);
        }

        if (number != Math.Floor(number))
        {
            throw new HyperparameterException(
                name,
                text,
                type,
                $"Hyperparameter '{name}' has value '{text}', which is not a whole number; expected {Describe(type)}.");
        }

        // The upper bound is compared as "< max + 1" because (double)long.MaxValue rounds up to 2^63.
        return number >= min && number < (double)max + 1 ? (long)number : throw OutOfRange(name, text, type);
    }

    private static bool ParseBoolean(string name, string text) =>
        text.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw Malformed(name, text, typeof(bool)),
        };

    private static object ParseEnum(string name, string text, Type type)
    {
        // Names only: Enum.TryParse would also accept any number, including undefined ones.
        var trimmed = text.Trim();
        if (trimmed.Length > 0 && !char.IsDigit(trimmed[0]) && trimmed[0] is not ('-' or '+')
            && Enum.TryParse(type, trimmed, ignoreCase: true, out var value))
        {
            return value!;
        }

        throw Malformed(name, text, type);
    }

    private static HyperparameterException Malformed(string name, string text, Type type) =>
        new(name, text, type, $"Hyperparameter '{name}' has value '{text}', which is not a valid {Describe(type)}.");

    private static HyperparameterException OutOfRange(string name, string text, Type type) =>
        new(name, text, type, $"Hyperparameter '{name}' has value '{text}', which is outside the range of {type.Name} ({Describe(type)}).");
}
