using System.Globalization;
using System.Text;

namespace VertexTraining.Runtime;

/// <summary>
/// The subset of Python's <c>json.dumps(obj, sort_keys=True)</c> that hypertune records need: a flat object
/// whose values are strings or floats, written with Python's default separators and <c>ensure_ascii=True</c>.
/// </summary>
internal static class PythonJson
{
    /// <summary>Writes a flat object. Each value must already be a JSON token (see <see cref="String"/> and <see cref="Float"/>).</summary>
    public static string Object(IEnumerable<KeyValuePair<string, string>> members)
    {
        var builder = new StringBuilder("{");
        var first = true;
        foreach (var (key, token) in members.OrderBy(m => m.Key, CodePointComparer.Instance))
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            builder.Append(String(key)).Append(": ").Append(token);
        }

        return builder.Append('}').ToString();
    }

    /// <summary>A float token as <c>json.dumps</c> writes it (<c>float.__repr__</c>, with <c>NaN</c>/<c>Infinity</c> for non-finite values).</summary>
    public static string Float(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => PythonFloat.Repr(value),
    };

    /// <summary>
    /// A string token escaped like <c>json.encoder.py_encode_basestring_ascii</c>: everything outside
    /// printable ASCII becomes <c>\uXXXX</c> (lower-case hex, UTF-16 code units, so astral characters
    /// become surrogate pairs exactly as in Python).
    /// </summary>
    public static string String(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>
    /// Python compares <c>str</c> keys by code point; ordinal UTF-16 comparison differs for characters above
    /// U+FFFF against those in U+E000..U+FFFF. Lone surrogates keep their own value, as in Python.
    /// </summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                var order = NextCodePoint(x, ref i).CompareTo(NextCodePoint(y, ref j));
                if (order != 0)
                {
                    return order;
                }
            }

            return (i < x.Length).CompareTo(j < y.Length);
        }

        private static int NextCodePoint(string s, ref int index)
        {
            var c = s[index++];
            if (char.IsHighSurrogate(c) && index < s.Length && char.IsLowSurrogate(s[index]))
            {
                return char.ConvertToUtf32(c, s[index++]);
            }

            return c;
        }
    }
}
