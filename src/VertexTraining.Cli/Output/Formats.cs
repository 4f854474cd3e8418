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

    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } d)
        {
            return "";
        }

        return d.TotalHours >= 1 ? $"{(int)d.TotalHours}h{d.Minutes:00}m{d.Seconds:00}s"
            : d.TotalMinutes >= 1 ? $"{d.Minutes}m{d.Seconds:00}s"
            : $"{d.TotalSeconds:0.#}s";
    }

    public static string Number(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "";

    public static string Json(JsonNode? node) => node?.ToJsonString(JsonOptions) ?? "null";

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>One JSON object on one line, for streams of records.</summary>
    public static string JsonLine<T>(T value) => JsonSerializer.Serialize(value, JsonLineOptions);
}
