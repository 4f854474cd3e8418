using System.Globalization;
using System.Text.Json.Nodes;
using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Local;

/// <summary>
/// Finds local runs by job name from anywhere: an index folder holds one small file per job id whose content is
/// the run folder's path. The run folder's <c>job.json</c> is the job as a cloud resource (CustomJob or
/// HyperparameterTuningJob), so <c>status</c>, <c>trials</c> and <c>logs</c> can show local jobs like cloud ones.
/// </summary>
/// <remarks>
/// The index is <c>$VERTEX_LOCAL_JOBS_DIR</c> when set, else <c>$XDG_STATE_HOME/vertex-training/local-jobs</c>, else
/// <c>~/.vertex-training/local-jobs</c>.
/// </remarks>
public sealed class LocalJobStore
{
    /// <summary>The variable that overrides the index folder.</summary>
    public const string IndexVariable = "VERTEX_LOCAL_JOBS_DIR";

    /// <summary>Uses <paramref name="indexDirectory"/> as the index.</summary>
    public LocalJobStore(string indexDirectory)
    {
        IndexDirectory = Path.GetFullPath(indexDirectory);
    }

    /// <summary>The store at the default index folder.</summary>
    public static LocalJobStore Default => new(DefaultIndexDirectory());

    /// <summary>The index folder.</summary>
    public string IndexDirectory { get; }

    /// <summary>The default index folder (see the remarks on <see cref="LocalJobStore"/>).</summary>
    public static string DefaultIndexDirectory() => DefaultIndexDirectory(Environment.GetEnvironmentVariable);

    /// <summary>The default index folder, reading the variables through <paramref name="variable"/> (a command's own environment).</summary>
    public static string DefaultIndexDirectory(Func<string, string?> variable)
    {
        if (variable(IndexVariable) is { Length: > 0 } explicitDirectory)
        {
            return explicitDirectory;
        }

        if (variable("XDG_STATE_HOME") is { Length: > 0 } state)
        {
            return Path.Combine(state, "vertex-training", "local-jobs");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vertex-training", "local-jobs");
    }

    /// <summary>Whether <paramref name="job"/> is a local job name (<c>local/&lt;id&gt;</c>).</summary>
    public static bool IsLocalJobName(string? job) => LocalJobName.IsLocal(job);

    /// <summary>Records where the run folder of <paramref name="id"/> is.</summary>
    public void Register(string id, string runDirectory)
    {
        Directory.CreateDirectory(IndexDirectory);
        AtomicFile.Write(Path.Combine(IndexDirectory, id), Path.GetFullPath(runDirectory) + "\n");
    }

    /// <summary>The local job named <paramref name="job"/> (<c>local/&lt;id&gt;</c> or a bare id), or null when the index does not know it.</summary>
    public LocalJobRecord? Find(string job)
    {
        if (!LocalJobName.TryParse(job, out var id))
        {
            return null;
        }

        var entry = Path.Combine(IndexDirectory, id);
        if (!File.Exists(entry))
        {
            return null;
        }

        var runDirectory = File.ReadAllText(entry).Trim();
        return runDirectory.Length == 0 ? null : new LocalJobRecord(id, runDirectory);
    }

    /// <summary>Every indexed local job whose run folder still exists, newest first.</summary>
    public IReadOnlyList<LocalJobRecord> List()
    {
        if (!Directory.Exists(IndexDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(IndexDirectory)
            .Select(Path.GetFileName)
            .Where(LocalJobName.IsValidId)
            .Select(id => Find(id!))
            .OfType<LocalJobRecord>()
            .Where(r => File.Exists(r.Folder.JobFile))
            .OrderByDescending(r => r.Id, StringComparer.Ordinal)];
    }
}

/// <summary>One local job: its id and run folder.</summary>
public sealed class LocalJobRecord
{
    internal LocalJobRecord(string id, string runDirectory)
    {
        Id = id;
        Folder = new RunFolder(runDirectory);
    }

    /// <summary>The job id.</summary>
    public string Id { get; }

    /// <summary>The job name, <c>local/&lt;id&gt;</c>.</summary>
    public string Name => LocalJobName.ToName(Id);

    /// <summary>The run folder.</summary>
    public RunFolder Folder { get; }

    /// <summary>The run folder's path.</summary>
    public string RunDirectory => Folder.Root;

    /// <summary>Reads <c>job.json</c>. A run whose runner died without recording an end reads as FAILED.</summary>
    /// <exception cref="LocalRunException">The run folder or its job.json is gone or unreadable (VTX5014).</exception>
    public LocalJobSnapshot Read()
    {
        string json;
        try
        {
            json = File.ReadAllText(Folder.JobFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LocalRunException(DiagnosticCodes.LocalJobNotFound,
                $"The local job {Name} has no readable {RunFolder.JobFileName} in {RunDirectory} ({e.Message}).", inner: e);
        }

        try
        {
            var node = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("not a JSON object");
            var snapshot = JobDocument.KindOf(node) == JobKind.HyperparameterTuningJob
                ? new LocalJobSnapshot(this, null, VertexJson.Deserialize<HyperparameterTuningJob>(json))
                : new LocalJobSnapshot(this, VertexJson.Deserialize<CustomJob>(json), null);
            return snapshot.MarkAbandonedIfRunnerGone(RunnerId());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            throw new LocalRunException(DiagnosticCodes.LocalJobNotFound,
                $"The local job {Name} has an unreadable {Folder.JobFile} ({e.Message}).", inner: e);
        }
    }

    /// <summary>
    /// The log files of the job's tasks. <paramref name="task"/> selects: an exact task name (<c>workerpool0-0</c>,
    /// <c>trial-3-workerpool0-0</c>), a replica across trials (<c>workerpool0-0</c> also matches every trial's), or a
    /// whole trial (<c>trial-3</c>). Null returns all.
    /// </summary>
    public IReadOnlyList<LocalTaskLog> Logs(string? task = null)
    {
        if (!Directory.Exists(Folder.LogsDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(Folder.LogsDirectory, "*.log")
            .Select(path => new LocalTaskLog(Path.GetFileNameWithoutExtension(path), path))
            .Where(log => task is null
                || log.Task == task
                || log.Task.EndsWith("-" + task, StringComparison.Ordinal)
                || log.Task.StartsWith(task + "-", StringComparison.Ordinal))
            .OrderBy(log => log.Task, TaskOrder.Instance)];
    }

    /// <summary>Asks the runner to cancel the job (it checks about twice a second); the job ends CANCELLED.</summary>
    public void RequestCancel() => AtomicFile.Write(Folder.CancelRequestFile, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + "\n");

    private int? RunnerId() =>
        File.Exists(Folder.RunnerFile) && int.TryParse(File.ReadAllText(Folder.RunnerFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    // trial-2-... before trial-10-...: compare digit runs by value.
    private sealed class TaskOrder : IComparer<string>
    {
        public static readonly TaskOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = x ?? "";
            var b = y ?? "";
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
                {
                    var si = i;
                    var sj = j;
                    while (i < a.Length && char.IsAsciiDigit(a[i]))
                    {
                        i++;
                    }

                    while (j < b.Length && char.IsAsciiDigit(b[j]))
                    {
                        j++;
                    }

                    var byValue = long.Parse(a[si..i], CultureInfo.InvariantCulture).CompareTo(long.Parse(b[sj..j], CultureInfo.InvariantCulture));
                    if (byValue != 0)
                    {
                        return byValue;
                    }
                }
                else
                {
                    if (a[i] != b[j])
                    {
                        return a[i].CompareTo(b[j]);
                    }

                    i++;
                    j++;
                }
            }

            return (a.Length - i).CompareTo(b.Length - j);
        }
    }
}

/// <summary>A task's log file.</summary>
/// <param name="Task">The task name (<c>workerpool0-0</c>, <c>trial-3-workerpool0-0</c>).</param>
/// <param name="Path">The file.</param>
public sealed record LocalTaskLog(string Task, string Path);

/// <summary>A local job as recorded in its <c>job.json</c>.</summary>
public sealed class LocalJobSnapshot
{
    internal LocalJobSnapshot(LocalJobRecord record, CustomJob? customJob, HyperparameterTuningJob? tuningJob)
    {
        Record = record;
        CustomJob = customJob;
        TuningJob = tuningJob;
    }

    /// <summary>Where it was read from.</summary>
    public LocalJobRecord Record { get; }

    /// <summary>The job, for a custom job.</summary>
    public CustomJob? CustomJob { get; }

    /// <summary>The job with its trials, for a tuning job.</summary>
    public HyperparameterTuningJob? TuningJob { get; }

    /// <summary>Whether it is a tuning job.</summary>
    public bool IsTuningJob => TuningJob is not null;

    /// <summary>The resource name, <c>local/&lt;id&gt;</c>.</summary>
    public string Name => CustomJob?.Name ?? TuningJob?.Name ?? Record.Name;

    /// <summary>The JobState value.</summary>
    public string State => CustomJob?.State ?? TuningJob?.State ?? LocalJobStates.Unspecified;

    /// <summary>Whether the job ended with its runner gone but no end recorded (killed, machine restarted).</summary>
    public bool IsAbandoned { get; private set; }

    /// <summary>The resource as JSON, as <c>--json</c> prints it.</summary>
    public string ToJson() => IsTuningJob ? VertexJson.Serialize(TuningJob) : VertexJson.Serialize(CustomJob);

    internal LocalJobSnapshot MarkAbandonedIfRunnerGone(int? runnerId)
    {
        if (LocalJobStates.IsTerminal(State) || runnerId is not { } pid || ProcessTree.IsAlive(pid))
        {
            return this;
        }

        IsAbandoned = true;
        var error = new RpcStatus { Code = 2, Message = $"The local runner (process {pid}) stopped without recording how the job ended." };
        if (CustomJob is not null)
        {
            (CustomJob.State, CustomJob.Error) = (LocalJobStates.Failed, error);
        }
        else if (TuningJob is not null)
        {
            (TuningJob.State, TuningJob.Error) = (LocalJobStates.Failed, error);
        }

        return this;
    }
}
