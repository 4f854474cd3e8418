using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Cli.Output;

/// <summary>How times, durations and JSON are printed.</summary>
internal static class Formats
{
    // The documents' own options: what --json prints reads like the REST resources it shows.
    private static readonly JsonSerializerOptions JsonOptions = VertexJson.Options;

    private static readonly JsonSerializerOptions JsonLineOptions = new(JsonOptions) { WriteIndented = false };

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Duration(TimeSpan? duration) => VertexTraining.Core.Cloud.TrialReport.FormatDuration(duration);

    public static string Json(JsonNode? node) => node?.ToJsonString(JsonOptions) ?? "null";

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>One JSON object on one line, for streams of records.</summary>
    public static string JsonLine<T>(T value) => JsonSerializer.Serialize(value, JsonLineOptions);
}
