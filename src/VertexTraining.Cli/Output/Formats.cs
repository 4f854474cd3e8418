using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VertexTraining.Cli.Output;

/// <summary>How times, durations and JSON are printed.</summary>
internal static class Formats
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonSerializerOptions JsonLineOptions = new(JsonOptions) { WriteIndented = false };

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Duration(TimeSpan? duration) => VertexTraining.Core.Cloud.TrialReport.FormatDuration(duration);

    public static string Number(double? value) => VertexTraining.Core.Cloud.TrialReport.FormatNumber(value);

    public static string Json(JsonNode? node) => node?.ToJsonString(JsonOptions) ?? "null";

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>One JSON object on one line, for streams of records.</summary>
    public static string JsonLine<T>(T value) => JsonSerializer.Serialize(value, JsonLineOptions);
}
