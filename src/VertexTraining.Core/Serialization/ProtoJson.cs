using System.Globalization;
using System.Text.Json.Nodes;

namespace VertexTraining.Core.Serialization;

/// <summary>Reading proto3 JSON values from documents we did not type (patched or pre-submission documents).</summary>
public static class ProtoJson
{
    /// <summary>An integer field: int64 fields are JSON strings, int32 fields numbers, and a hand-written document may use either.</summary>
    public static long? Int64(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A string field, or null when absent or not a string.</summary>
    public static string? String(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
