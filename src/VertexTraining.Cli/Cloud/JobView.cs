using System.Text.Json.Nodes;
using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Cloud;

/// <summary>
/// A job as the status, wait, trials, logs, cancel and list commands show it, whether Vertex AI or a local run
/// (<c>local/&lt;id&gt;</c>) holds it: both are the same resource shape, so one rendering serves both.
/// </summary>
/// <param name="Name">The full name: a resource name, or <c>local/&lt;id&gt;</c>.</param>
/// <param name="Id">The short form for tables and progress lines: the cloud job id, or the whole local name (a bare id would be looked up in the cloud).</param>
/// <param name="Kind">Custom or tuning job.</param>
/// <param name="DisplayName">The display name, if any.</param>
/// <param name="State">The JobState value.</param>
/// <param name="CreateTime">createTime.</param>
/// <param name="StartTime">startTime.</param>
/// <param name="EndTime">endTime.</param>
/// <param name="Error">The job's error, if it failed or was cancelled.</param>
/// <param name="TuningJob">The typed tuning job with its trials, for a tuning job.</param>
/// <param name="Labels">The job's labels.</param>
/// <param name="Resource">The resource JSON, as <c>--json</c> prints it.</param>
/// <param name="Where">Where to look further: the Cloud console page, or the local run folder.</param>
internal sealed record JobView(
    string Name,
    string Id,
    JobKind Kind,
    string? DisplayName,
    string State,
    DateTimeOffset? CreateTime,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    RpcStatus? Error,
    HyperparameterTuningJob? TuningJob,
    IReadOnlyDictionary<string, string> Labels,
    JsonObject Resource,
    (string Label, string Value) Where)
{
    /// <summary>Restarts per task, for a local run (Vertex AI's resource does not report them).</summary>
    public IReadOnlyDictionary<string, TaskRestarts> Restarts { get; init; } = new Dictionary<string, TaskRestarts>();

    /// <summary>Whether the job ran on this machine.</summary>
    public bool IsLocal => LocalJobName.IsLocal(Name);

    /// <summary>A job read from Vertex AI.</summary>
    public static JobView FromCloud(VertexJob job, string? projectId = null) => new(
        job.Name.ToString(), job.Name.Id, job.Kind, job.DisplayName, job.State, job.CreateTime, job.StartTime, job.EndTime,
        job.Error, job.TuningJob, job.Labels, job.Resource, ("Console", ConsoleUrls.ForJob(job.Name, projectId)));

    /// <summary>A local run as its <c>job.json</c> records it.</summary>
    public static JobView FromLocal(LocalJobSnapshot snapshot)
    {
        var resource = JsonNode.Parse(snapshot.ToJson()) as JsonObject ?? [];
        var custom = snapshot.CustomJob;
        var tuning = snapshot.TuningJob;
        return new JobView(
            snapshot.Name,
            snapshot.Name,
            snapshot.IsTuningJob ? JobKind.HyperparameterTuningJob : JobKind.CustomJob,
            custom?.DisplayName ?? tuning?.DisplayName,
            snapshot.State,
            VertexJob.ParseTime(custom?.CreateTime ?? tuning?.CreateTime),
            VertexJob.ParseTime(custom?.StartTime ?? tuning?.StartTime),
            VertexJob.ParseTime(custom?.EndTime ?? tuning?.EndTime),
            custom?.Error ?? tuning?.Error,
            tuning,
            (IReadOnlyDictionary<string, string>?)custom?.Labels ?? tuning?.Labels ?? new SortedDictionary<string, string>(),
            resource,
            ("Run folder", snapshot.Record.RunDirectory))
        {
            Restarts = RestartLog.Read(snapshot.Record.RunDirectory),
        };
    }
}
