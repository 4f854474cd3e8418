using System.Globalization;
using System.Text.Json.Nodes;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// A CustomJob or HyperparameterTuningJob as the service returned it: the common fields typed, the
/// kind-specific model alongside, and the raw JSON for <c>--json</c> output.
/// </summary>
public sealed class VertexJob
{
    private VertexJob(JobName name, JsonObject resource, CustomJob? customJob, HyperparameterTuningJob? tuningJob)
    {
        Name = name;
        Resource = resource;
        CustomJob = customJob;
        TuningJob = tuningJob;
    }

    /// <summary>The resource name.</summary>
    public JobName Name { get; }

    /// <summary>Which kind of job.</summary>
    public JobKind Kind => Name.Kind;

    /// <summary>The resource exactly as received.</summary>
    public JsonObject Resource { get; }

    /// <summary>The typed CustomJob, for a custom job.</summary>
    public CustomJob? CustomJob { get; }

    /// <summary>The typed tuning job (with trials when read by get), for a tuning job.</summary>
    public HyperparameterTuningJob? TuningJob { get; }

    public string? DisplayName => CustomJob?.DisplayName ?? TuningJob?.DisplayName;

    /// <summary>The JobState value; absent (unspecified) reads as <see cref="JobStates.Unspecified"/>.</summary>
    public string State => CustomJob?.State ?? TuningJob?.State ?? JobStates.Unspecified;

    public DateTimeOffset? CreateTime => ParseTime(CustomJob?.CreateTime ?? TuningJob?.CreateTime);

    public DateTimeOffset? StartTime => ParseTime(CustomJob?.StartTime ?? TuningJob?.StartTime);

    public DateTimeOffset? EndTime => ParseTime(CustomJob?.EndTime ?? TuningJob?.EndTime);

    public RpcStatus? Error => CustomJob?.Error ?? TuningJob?.Error;

    public IReadOnlyDictionary<string, string> Labels =>
        (IReadOnlyDictionary<string, string>?)CustomJob?.Labels ?? TuningJob?.Labels ?? new SortedDictionary<string, string>();

    /// <summary>Reads a job resource. The kind comes from its name, which every returned job has.</summary>
    /// <exception cref="CloudApiException">The resource has no valid name (VTX4008).</exception>
    public static VertexJob FromJson(JsonObject resource)
    {
        var nameText = resource["name"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (!JobName.TryParse(nameText, out var name))
        {
            throw new CloudApiException(DiagnosticCodes.ApiMalformedResponse,
                $"The service returned a job without a valid resource name ('{nameText}').", null, null, null);
        }

        var json = resource.ToJsonString();
        try
        {
            return name.Kind == JobKind.CustomJob
                ? new VertexJob(name, resource, VertexJson.Deserialize<CustomJob>(json), null)
                : new VertexJob(name, resource, null, VertexJson.Deserialize<HyperparameterTuningJob>(json));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CloudApiException(DiagnosticCodes.ApiMalformedResponse, $"The service returned an unreadable {name.Kind} {name}: {e.Message}", null, null, null, e);
        }
    }

    /// <summary>Reads an RFC 3339 timestamp of any precision.</summary>
    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
