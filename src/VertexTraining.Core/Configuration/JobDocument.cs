using System.Text.Json.Nodes;
using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// The one job document: the exact Vertex v1 request body, a CustomJob or a HyperparameterTuningJob.
/// Cloud submission POSTs <see cref="ToJson"/> unchanged; local execution interprets the same object.
/// </summary>
public sealed class JobDocument
{
    // The document as JSON when a VertexJobPatch made it: it may hold fields the typed view does not model,
    // and it is what is written and posted. The typed view is read from it, for local runs and checks.
    private readonly JsonObject? _json;

    private JobDocument(CustomJob? customJob, HyperparameterTuningJob? tuningJob, JsonObject? json = null)
    {
        CustomJob = customJob;
        TuningJob = tuningJob;
        _json = json;
    }

    public CustomJob? CustomJob { get; }

    public HyperparameterTuningJob? TuningJob { get; }

    public bool IsTuningJob => TuningJob is not null;

    /// <summary>The REST collection the document is created in.</summary>
    public string Collection => IsTuningJob ? "hyperparameterTuningJobs" : "customJobs";

    public string DisplayName => (CustomJob?.DisplayName ?? TuningJob?.DisplayName)!;

    /// <summary>The job spec (for a tuning job: the spec every trial runs).</summary>
    public CustomJobSpec Spec => (CustomJob?.JobSpec ?? TuningJob?.TrialJobSpec)!;

    public SortedDictionary<string, string> Labels =>
        (CustomJob is not null ? CustomJob.Labels ??= NewLabels() : TuningJob!.Labels ??= NewLabels())!;

    public static JobDocument ForCustomJob(CustomJob job) => new(job, null);

    public static JobDocument ForTuningJob(HyperparameterTuningJob job) => new(null, job);

    public string ToJson() => _json?.ToJsonString(VertexJson.Options)
        ?? (IsTuningJob ? VertexJson.Serialize(TuningJob) : VertexJson.Serialize(CustomJob));

    /// <summary>This document's typed view, written as <paramref name="json"/> (its patched form, fields we do not model included).</summary>
    public JobDocument WithJson(JsonObject json) => new(CustomJob, TuningJob, json);

    /// <summary>Which kind a job document or resource is: a studySpec (or trialJobSpec) makes it a tuning job.</summary>
    public static JobKind KindOf(JsonObject document) =>
        document.ContainsKey("studySpec") || document.ContainsKey("trialJobSpec") ? JobKind.HyperparameterTuningJob : JobKind.CustomJob;

    /// <summary>Reads a saved job-request.json; its <see cref="KindOf"/> decides the type.</summary>
    public static JobDocument Parse(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("The job document is not a JSON object.");
        if (KindOf(node) == JobKind.HyperparameterTuningJob)
        {
            var tuningJob = VertexJson.Deserialize<HyperparameterTuningJob>(json)!;
            tuningJob.Labels = OrdinalLabels(tuningJob.Labels);
            return ForTuningJob(tuningJob);
        }

        var customJob = VertexJson.Deserialize<CustomJob>(json)!;
        customJob.Labels = OrdinalLabels(customJob.Labels);
        return ForCustomJob(customJob);
    }

    // The deserializer builds SortedDictionary with the culture comparer, which orders "a_b"
    // before "a-b"; the builder writes ordinal order, so re-sort to keep Parse(ToJson()) stable.
    private static SortedDictionary<string, string>? OrdinalLabels(SortedDictionary<string, string>? labels) =>
        labels is null ? null : new SortedDictionary<string, string>(labels, StringComparer.Ordinal);

    private static SortedDictionary<string, string> NewLabels() => new(StringComparer.Ordinal);
}
