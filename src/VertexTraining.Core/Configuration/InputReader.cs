using System.Globalization;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>Typed reads of property and metadata strings that report a coded error instead of throwing.</summary>
internal sealed class InputReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public bool? Bool(string? text, string subject)
    {
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Diagnostics.Error(DiagnosticCodes.InvalidBoolean, subject, $"{subject} is '{text}'; valid values are true or false.");
        return null;
    }

    /// <summary>An integer in [min, max]; <paramref name="code"/> names the rule that is broken.</summary>
    public int? Int(string? text, string subject, int min, int max, string code, string? what = null)
    {
        if (text is null)
        {
            return null;
        }

        // Integers may arrive as "4.0" from generated props; accept whole numbers written that way.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && d >= min && d <= max)
        {
            return (int)d;
        }

        var range = max == int.MaxValue ? $"an integer of at least {min}" : $"an integer from {min} to {max}";
        Diagnostics.Error(code, subject, $"{subject} is '{text}'; it must be {range}{(what is null ? "" : " " + what)}.");
        return null;
    }

    public string? Duration(string? text, string subject)
    {
        if (text is null)
        {
            return null;
        }

        if (DurationParser.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return DurationParser.ToProtoJson(duration);
        }

        // "0s" is meaningful only for max-wait (wait forever); the caller handles that case.
        Diagnostics.Error(DiagnosticCodes.InvalidDuration, subject, $"{subject} is '{text}'; expected {DurationParser.ValidForms}, greater than zero.");
        return null;
    }

    /// <summary>Matches one of <paramref name="allowed"/> ignoring case and returns its canonical spelling.</summary>
    public string? OneOf(string? text, string subject, string code, params string[] allowed)
    {
        if (text is null)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Diagnostics.Error(code, subject, $"{subject} is '{text}'; valid values are {string.Join(", ", allowed)}.");
        }

        return match;
    }

    /// <summary>Splits MSBuild's ';'-separated lists, dropping empty entries.</summary>
    public static List<string> SplitList(string? text) =>
        text is null ? [] : [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
