using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// The google.rpc.Status error body of a REST call (<c>{"error": {code, message, status, details}}</c>),
/// with the RetryInfo delay when the service sent one.
/// </summary>
public sealed record GoogleApiError(int HttpStatus, string? Status, string? Message, TimeSpan? RetryDelay)
{
    /// <summary>The longest service message kept; longer ones end with "...".</summary>
    public const int MaxMessageChars = 1000;

    /// <summary>Reads an error response; bodies that are not Google's JSON keep their first line as the message.</summary>
    public static GoogleApiError Parse(int httpStatus, string body, HttpResponseHeaders? headers = null)
    {
        string? status = null;
        string? message = null;
        TimeSpan? retryDelay = null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject root && root["error"] is JsonObject error)
            {
                status = error["status"]?.GetValue<string>();
                message = error["message"]?.GetValue<string>();
                if (error["details"] is JsonArray details)
                {
                    foreach (var detail in details.OfType<JsonObject>())
                    {
                        var type = detail["@type"]?.GetValue<string>() ?? "";
                        if (type.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal)
                            && detail["retryDelay"]?.GetValue<string>() is { } delay
                            && TryParseDuration(delay, out var parsed))
                        {
                            retryDelay = parsed;
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            // Not Google's JSON (a proxy's HTML page, a truncated body): fall through to the raw text.
        }

        // Printed to the user: a snippet, however long the service's message or page was.
        message = message is null ? BoundedBody.Snippet(body.Split('\n', 2)[0], 200) : BoundedBody.Snippet(message, MaxMessageChars);

        if (retryDelay is null && headers?.RetryAfter is { } retryAfter)
        {
            retryDelay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        }

        return new GoogleApiError(httpStatus, status, message, retryDelay);
    }

    /// <summary>Reads google.protobuf.Duration's JSON form, e.g. <c>"7s"</c> or <c>"1.500s"</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (!text.EndsWith('s') || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
