using System.Globalization;
using System.Text.RegularExpressions;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// Reads the durations users write in a .csproj (<c>90m</c>, <c>2h</c>, <c>3600s</c>, <c>1d</c>,
/// <c>hh:mm:ss</c>) and writes google.protobuf.Duration's JSON form (<c>"5400s"</c>).
/// </summary>
public static partial class DurationParser
{
    public const string ValidForms = "a number with a unit s, m, h or d (e.g. 3600s, 90m, 2h, 1.5h, 7d) or hh:mm:ss";

    // [0-9], not \d: \d also matches non-ASCII digits, which double.Parse then rejects with an exception.
    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)\s*(?<u>s|m|h|d)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WithUnit();

    [GeneratedRegex(@"^(?<h>[0-9]+):(?<m>[0-5][0-9]):(?<s>[0-5][0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var trimmed = text.Trim();
        var unit = WithUnit().Match(trimmed);
        if (unit.Success)
        {
            var n = double.Parse(unit.Groups["n"].Value, CultureInfo.InvariantCulture);
            var seconds = char.ToLowerInvariant(unit.Groups["u"].Value[0]) switch
            {
                's' => n,
                'm' => n * 60,
                'h' => n * 3600,
                _ => n * 86400,
            };
            if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(Math.Round(seconds, 3));
            return true;
        }

        // Same bound as the unit form: hours that overflow int or TimeSpan are "not a duration", not a crash.
        var clock = Clock().Match(trimmed);
        if (clock.Success
            && int.TryParse(clock.Groups["h"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && hours <= TimeSpan.MaxValue.TotalHours / 2)
        {
            duration = new TimeSpan(
                hours,
                int.Parse(clock.Groups["m"].Value, CultureInfo.InvariantCulture),
                int.Parse(clock.Groups["s"].Value, CultureInfo.InvariantCulture));
            return true;
        }

        return false;
    }

    /// <summary>The proto3 JSON form: whole seconds as "123s", fractions with up to 3 digits ("1.5s").</summary>
    public static string ToProtoJson(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    /// <summary>Reads "123s" / "1.5s" back, as Vertex returns durations.</summary>
    public static TimeSpan? FromProtoJson(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.EndsWith('s'))
        {
            return null;
        }

        return double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? TimeSpan.FromSeconds(s)
            : null;
    }
}
