using System.Globalization;

namespace VertexTraining.Core.Local;

/// <summary>
/// The folder a local run keeps everything in:
/// <code>
/// job.json                      the job as a cloud resource (state, times, error, trials)
/// job-request.json              the document that was run
/// logs/&lt;task&gt;.log              each replica's output (task: workerpool0-0, or trial-3-workerpool0-0)
/// outputs/{model,checkpoints,logs}/                  AIP_* folders of a custom job
/// trials/&lt;id&gt;/outputs/{model,checkpoints,logs}/   AIP_* folders of trial &lt;id&gt;
/// [trials/&lt;id&gt;/]metrics/&lt;task&gt;.metrics           CLOUD_ML_HP_METRIC_FILE of each replica
/// </code>
/// </summary>
public sealed class RunFolder
{
    /// <summary>The name of the job resource file.</summary>
    public const string JobFileName = "job.json";

    /// <summary>The name of the copy of the job document.</summary>
    public const string RequestFileName = "job-request.json";

    /// <summary>A file whose presence asks the runner to cancel the job (see <see cref="LocalJobRecord.RequestCancel"/>).</summary>
    public const string CancelRequestFileName = "cancel-requested";

    /// <summary>The file holding the id of the runner process, to tell a live run from an abandoned one.</summary>
    public const string RunnerFileName = "runner.pid";

    private RestartLog? _restartLog;

    /// <summary>Uses <paramref name="root"/> (made absolute) as the run folder.</summary>
    public RunFolder(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The run folder.</summary>
    public string Root { get; }

    /// <summary>The task restarts of this run, shared by every replica set of it (the job's, or each trial's).</summary>
    public RestartLog RestartLog => _restartLog ??= new RestartLog(Path.Combine(Root, RestartLog.FileName));

    /// <summary>job.json.</summary>
    public string JobFile => Path.Combine(Root, JobFileName);

    /// <summary>job-request.json.</summary>
    public string RequestFile => Path.Combine(Root, RequestFileName);

    /// <summary>The cancel request marker.</summary>
    public string CancelRequestFile => Path.Combine(Root, CancelRequestFileName);

    /// <summary>The runner process id file.</summary>
    public string RunnerFile => Path.Combine(Root, RunnerFileName);

    /// <summary>The folder of the per-task log files.</summary>
    public string LogsDirectory => Path.Combine(Root, "logs");

    /// <summary>The log file of a task.</summary>
    public string LogFile(string taskName) => Path.Combine(LogsDirectory, taskName + ".log");

    /// <summary>The folder of a trial (or of the whole run for a custom job, when <paramref name="trialId"/> is null).</summary>
    public string WorkFolder(string? trialId) =>
        trialId is null ? Root : Path.Combine(Root, "trials", trialId);

    /// <summary>The base output directory (parent of model/, checkpoints/, logs/).</summary>
    public string OutputsDirectory(string? trialId) => Path.Combine(WorkFolder(trialId), "outputs");

    /// <summary>The folder holding each replica's metric file.</summary>
    public string MetricsDirectory(string? trialId) => Path.Combine(WorkFolder(trialId), "metrics");

    /// <summary>The metric file (CLOUD_ML_HP_METRIC_FILE) of one replica.</summary>
    public string MetricFile(string? trialId, string replicaTask) => Path.Combine(MetricsDirectory(trialId), replicaTask + ".metrics");

    /// <summary>The task name used for logs: the replica's own (<c>workerpool1-2</c>), prefixed by its trial.</summary>
    public static string TaskName(string? trialId, string replicaTask) =>
        trialId is null ? replicaTask : string.Create(CultureInfo.InvariantCulture, $"trial-{trialId}-{replicaTask}");
}
