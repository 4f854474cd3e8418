using System.Globalization;
using System.Text.Json;
using VertexTraining.Core.Api;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Core.Local;

/// <summary>
/// Reads a trial's metric file in the cloudml-hypertune format (github.com/GoogleCloudPlatform/cloudml-hypertune, hypertune/hypertune.py): one JSON object per line with
/// the metric tag's value as a string (<c>"0.93"</c>), <c>global_step</c> as a string and <c>timestamp</c> in seconds.
/// </summary>
public static class MetricFile
{
    private static readonly HashSet<string> FixedKeys = new(StringComparer.Ordinal) { "timestamp", "trial", "global_step", "checkpoint_path" };

    /// <summary>One reported value.</summary>
    /// <param name="Step">global_step.</param>
    /// <param name="Value">The metric's value.</param>
    /// <param name="Timestamp">Seconds since the Unix epoch, when given.</param>
    public sealed record Record(long Step, double Value, double? Timestamp);

    /// <summary>The values of <paramref name="metricId"/> in file order; <paramref name="otherTags"/> lists tags reported instead.</summary>
    public static IReadOnlyList<Record> Read(string path, string metricId, out IReadOnlyList<string> otherTags)
    {
        var records = new List<Record>();
        var others = new SortedSet<string>(StringComparer.Ordinal);
        otherTags = [];
        if (!File.Exists(path))
        {
            return records;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (!root.TryGetProperty(metricId, out var valueElement))
                {
                    foreach (var property in root.EnumerateObject().Where(p => !FixedKeys.Contains(p.Name)))
                    {
                        others.Add(property.Name);
                    }

                    continue;
                }

                if (Number(valueElement) is not { } value || !double.IsFinite(value))
                {
                    continue;
                }

                var step = root.TryGetProperty("global_step", out var stepElement) && Number(stepElement) is { } s ? (long)s : 0;
                var timestamp = root.TryGetProperty("timestamp", out var timeElement) ? Number(timeElement) : null;
                records.Add(new Record(step, value, timestamp));
            }
            catch (JsonException)
            {
                // A line being rewritten or written by something else; the other lines still count.
            }
        }

        otherTags = [.. others];
        return records;
    }

    /// <summary>
    /// The trial's measurements and its final measurement: the last value (LAST_MEASUREMENT, the default) or the
    /// best by the goal (BEST_MEASUREMENT). Null when the metric was never reported.
    /// </summary>
    public static (List<Measurement> Measurements, Measurement Final)? Measure(
        IReadOnlyList<Record> records, string metricId, bool best, MetricGoal goal, DateTimeOffset? trialStart)
    {
        if (records.Count == 0)
        {
            return null;
        }

        Measurement ToMeasurement(Record r) => new()
        {
            StepCount = r.Step,
            ElapsedDuration = r.Timestamp is { } t && trialStart is { } start
                ? DurationParser.ToProtoJson(TimeSpan.FromSeconds(Math.Max(0, t - start.ToUnixTimeMilliseconds() / 1000.0)))
                : null,
            Metrics = [new MeasurementMetric { MetricId = metricId, Value = r.Value }],
        };

        var final = best
            ? (goal == MetricGoal.Maximize ? records.MaxBy(r => r.Value) : records.MinBy(r => r.Value))!
            : records[^1];
        return ([.. records.Select(ToMeasurement)], ToMeasurement(final));
    }

    private static double? Number(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String when double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => null,
    };
}
