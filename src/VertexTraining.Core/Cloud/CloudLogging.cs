using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Cloud;

/// <summary>A LogEntry of the Cloud Logging v2 API, the fields a training log needs.</summary>
public sealed class LogEntry
{
    public string? LogName { get; set; }
    public MonitoredResource? Resource { get; set; }
    public string? Timestamp { get; set; }
    public string? ReceiveTimestamp { get; set; }
    public string? Severity { get; set; }
    public string? InsertId { get; set; }
    public string? TextPayload { get; set; }
    public JsonObject? JsonPayload { get; set; }
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>The task that wrote the line, e.g. <c>workerpool0-0</c>.</summary>
    public string TaskName => Resource?.Labels is { } labels && labels.TryGetValue("task_name", out var task) && task.Length > 0 ? task : "job";

    /// <summary>The text: textPayload, else jsonPayload.message, else the JSON payload itself.</summary>
    public string Message
    {
        get
        {
            if (TextPayload is not null)
            {
                return TextPayload;
            }

            if (JsonPayload is null)
            {
                return "";
            }

            return JsonPayload["message"] is JsonValue value && value.TryGetValue<string>(out var message) ? message : JsonPayload.ToJsonString();
        }
    }
}

/// <summary>The resource a log entry belongs to (<c>ml_job</c> with <c>job_id</c>, <c>task_name</c>).</summary>
public sealed class MonitoredResource
{
    public string? Type { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary>One page of <c>entries:list</c>.</summary>
public sealed record LogEntryPage(IReadOnlyList<LogEntry> Entries, string? NextPageToken);

/// <summary>The Cloud Logging v2 <c>entries:list</c> call (cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list), retried like every read.</summary>
public sealed class CloudLoggingClient
{
    private readonly CloudHttpClient _http;

    /// <summary>Creates the client.</summary>
    /// <param name="http">Authorized HTTP client for the logging base (see <see cref="VertexEndpoints.Logging"/>).</param>
    public CloudLoggingClient(CloudHttpClient http)
    {
        _http = http;
    }

    /// <summary>Reads one page of entries.</summary>
    /// <param name="project">Project whose logs to read.</param>
    /// <param name="filter">The logging filter.</param>
    /// <param name="pageToken">Continues a previous page.</param>
    /// <param name="pageSize">1..1000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<LogEntryPage> ListAsync(string project, string filter, string? pageToken, int pageSize, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["resourceNames"] = new JsonArray($"projects/{CloudNameSegments.Project(project, "The project")}"),
            ["filter"] = filter,
            ["orderBy"] = "timestamp asc",
            ["pageSize"] = pageSize,
        };
        if (!string.IsNullOrEmpty(pageToken))
        {
            request["pageToken"] = pageToken;
        }

        var body = await _http.SendAsync(HttpMethod.Post, _http.Url("v2/entries:list"), request, cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = body["entries"] is JsonArray array
                ? array.Select(e => e.Deserialize<LogEntry>(VertexJson.Options)!).ToList()
                : [];
            var next = body["nextPageToken"] is JsonValue value && value.TryGetValue<string>(out var token) && token.Length > 0 ? token : null;
            return new LogEntryPage(entries, next);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CloudApiException(DiagnosticCodes.ApiMalformedResponse, $"{_http.ServiceName} returned unreadable log entries: {e.Message}", null, null, null, e);
        }
    }
}
