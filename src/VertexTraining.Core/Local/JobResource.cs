using System.Globalization;
using VertexTraining.Core.Api;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Local;

/// <summary>
/// The local job as the cloud would describe it (a CustomJob or HyperparameterTuningJob resource named
/// <c>local/&lt;id&gt;</c>), kept in <c>job.json</c> and rewritten on every change so other commands see it live.
/// </summary>
internal sealed class JobResource
{
    private readonly object _gate = new();
    private readonly RunFolder _folder;

    public JobResource(JobDocument document, string jobId, RunFolder folder, DateTimeOffset now)
    {
        _folder = folder;

        // A copy: the runner's record must not alias the document it runs.
        var copy = JobDocument.Parse(document.ToJson());
        CustomJob = copy.CustomJob;
        TuningJob = copy.TuningJob;
        var name = LocalJobName.ToName(jobId);
        var created = Timestamp(now);
        if (CustomJob is not null)
        {
            (CustomJob.Name, CustomJob.State, CustomJob.CreateTime, CustomJob.UpdateTime) = (name, LocalJobStates.Pending, created, created);
        }
        else
        {
            (TuningJob!.Name, TuningJob.State, TuningJob.CreateTime, TuningJob.UpdateTime) = (name, LocalJobStates.Pending, created, created);
            TuningJob.Trials = [];
        }
    }

    /// <summary>
    /// A tuning job continued in its run folder: the saved resource (name, createTime, the finished trials) with the
    /// project's current document (trial counts, trial job spec, stopping rule) and no end yet.
    /// </summary>
    public JobResource(JobDocument document, StudyResume resume)
    {
        _folder = resume.Folder;
        var now = JobDocument.Parse(document.ToJson()).TuningJob!;
        var saved = resume.Saved;
        now.Name = saved.Name;
        now.CreateTime = saved.CreateTime;
        now.StartTime = saved.StartTime;
        now.State = LocalJobStates.Pending;
        now.UpdateTime = Timestamp(DateTimeOffset.UtcNow);
        now.Trials = [.. resume.Kept];
        TuningJob = now;
    }

    public CustomJob? CustomJob { get; }

    public HyperparameterTuningJob? TuningJob { get; }

    public string State => CustomJob?.State ?? TuningJob!.State!;

    /// <summary>RFC 3339 UTC with milliseconds, as the API writes timestamps.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Moves to <paramref name="state"/>, stamping startTime on RUNNING and endTime on an end, and saves.</summary>
    public void SetState(string state, RpcStatus? error = null)
    {
        lock (_gate)
        {
            var now = Timestamp(DateTimeOffset.UtcNow);
            if (CustomJob is not null)
            {
                CustomJob.State = state;
                CustomJob.Error = error;
                CustomJob.StartTime ??= state == LocalJobStates.Running ? now : null;
                CustomJob.EndTime = LocalJobStates.IsTerminal(state) ? now : null;
                CustomJob.UpdateTime = now;
            }
            else
            {
                TuningJob!.State = state;
                TuningJob.Error = error;
                TuningJob.StartTime ??= state == LocalJobStates.Running ? now : null;
                TuningJob.EndTime = LocalJobStates.IsTerminal(state) ? now : null;
                TuningJob.UpdateTime = now;
            }

            SaveLocked();
        }
    }

    /// <summary>Changes the tuning job's trials (or anything else) under the lock, then saves.</summary>
    public void Update(Action<HyperparameterTuningJob> change)
    {
        lock (_gate)
        {
            change(TuningJob!);
            TuningJob!.UpdateTime = Timestamp(DateTimeOffset.UtcNow);
            SaveLocked();
        }
    }

    public void Save()
    {
        lock (_gate)
        {
            SaveLocked();
        }
    }

    private void SaveLocked() =>
        AtomicFile.Write(_folder.JobFile, CustomJob is not null ? VertexJson.Serialize(CustomJob) : VertexJson.Serialize(TuningJob));
}
