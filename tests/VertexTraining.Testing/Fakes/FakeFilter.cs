using System.Text.RegularExpressions;

namespace VertexTraining.Testing.Fakes;

/// <summary>
/// The subset of Google's list filter grammar (AIP-160) the fake understands: terms joined by AND,
/// NOT, parentheses, and comparisons of fields with =, !=, :, &lt;, &lt;=, &gt;, &gt;=. Anything else is
/// rejected with 400, as the real service rejects what it cannot parse.
/// </summary>
public static partial class FakeFilter
{
    [GeneratedRegex("""^(?<field>[A-Za-z_][A-Za-z0-9_.\-]*)\s*(?<op>!=|>=|<=|=|:|>|<)\s*(?<value>"(?:[^"\\]|\\.)*"|[^\s()]+)$""")]
    private static partial Regex Comparison();

    /// <summary>Parses <paramref name="filter"/>; <paramref name="field"/> reads a field of an item.</summary>
    public static Func<T, bool> Parse<T>(string? filter, Func<T, string, string?> field)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return _ => true;
        }

        var terms = SplitAnd(filter.Trim()).Select(t => ParseTerm(t, field)).ToList();
        return item => terms.All(t => t(item));
    }

    private static Func<T, bool> ParseTerm<T>(string term, Func<T, string, string?> field)
    {
        term = term.Trim();
        if (term.StartsWith("NOT ", StringComparison.Ordinal))
        {
            var inner = ParseTerm(term[4..], field);
            return item => !inner(item);
        }

        if (term.StartsWith('(') && term.EndsWith(')'))
        {
            return Parse(term[1..^1], field);
        }

        if (term.Contains(" OR ", StringComparison.Ordinal))
        {
            throw new FormatException($"OR is not supported by this fake: {term}");
        }

        var match = Comparison().Match(term);
        if (!match.Success)
        {
            throw new FormatException($"Unparsable filter term: {term}");
        }

        var name = match.Groups["field"].Value;
        var op = match.Groups["op"].Value;
        var raw = match.Groups["value"].Value;
        var value = raw.StartsWith('"') ? Regex.Unescape(raw[1..^1]) : raw;
        return item =>
        {
            var actual = field(item, name);
            return op switch
            {
                "=" => actual == value,
                "!=" => actual != value,
                ":" when value == "*" => actual is not null,
                ":" => actual is not null && Regex.IsMatch(actual, "^" + Regex.Escape(value).Replace("\\*", ".*") + "$"),
                ">" => actual is not null && Compare(actual, value) > 0,
                ">=" => actual is not null && Compare(actual, value) >= 0,
                "<" => actual is not null && Compare(actual, value) < 0,
                "<=" => actual is not null && Compare(actual, value) <= 0,
                _ => false,
            };
        };
    }

    // RFC 3339 times of different precision compare as times, not as text.
    private static int Compare(string actual, string value) =>
        DateTimeOffset.TryParse(actual, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var a)
        && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var b)
            ? a.CompareTo(b)
            : string.CompareOrdinal(actual, value);

    private static IEnumerable<string> SplitAnd(string filter)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            if (c == '\\' && quoted)
            {
                i++;
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && string.CompareOrdinal(filter, i, " AND ", 0, 5) == 0)
            {
                yield return filter[start..i];
                start = i + 5;
                i += 4;
            }
        }

        yield return filter[start..];
    }
}
