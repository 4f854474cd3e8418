using VertexTraining.Core.Api;

namespace VertexTraining.Core.Local;

/// <summary>How a local run ended.</summary>
public enum LocalRunEnd
{
    /// <summary>JOB_STATE_SUCCEEDED.</summary>
    Succeeded,

    /// <summary>JOB_STATE_FAILED: a replica failed, or too many trials failed.</summary>
    Failed,

    /// <summary>JOB_STATE_FAILED because scheduling.timeout was reached.</summary>
    TimedOut,

    /// <summary>JOB_STATE_CANCELLED by an interrupt (Ctrl-C) or a cancel request.</summary>
    Cancelled,

    /// <summary>JOB_STATE_FAILED before anything ran: no way to run it here (no engine, no app, image not loadable).</summary>
    CouldNotRun,
}

/// <summary>The outcome of <see cref="LocalJobRunner.RunAsync"/>.</summary>
public sealed class LocalRunResult
{
    internal LocalRunResult(string jobId, RunFolder folder, LocalRunEnd end, string? code, ExecutionMode mode, string modeReason,
        CustomJob? customJob, HyperparameterTuningJob? tuningJob, bool interrupted)
    {
        JobId = jobId;
        Folder = folder;
        End = end;
        Code = code;
        Mode = mode;
        ModeReason = modeReason;
        CustomJob = customJob;
        TuningJob = tuningJob;
        Interrupted = interrupted;
    }

    /// <summary>The local job id.</summary>
    public string JobId { get; }

    /// <summary><c>local/&lt;id&gt;</c>.</summary>
    public string Name => LocalJobName.ToName(JobId);

    /// <summary>The run folder.</summary>
    public RunFolder Folder { get; }

    /// <summary>How the run ended.</summary>
    public LocalRunEnd End { get; }

    /// <summary>The VTX code of the failure, if any.</summary>
    public string? Code { get; }

    /// <summary>The mode that ran (Auto when the run stopped before choosing).</summary>
    public ExecutionMode Mode { get; }

    /// <summary>Why that mode was chosen.</summary>
    public string ModeReason { get; }

    /// <summary>The final resource of a custom job.</summary>
    public CustomJob? CustomJob { get; }

    /// <summary>The final resource of a tuning job, with its trials.</summary>
    public HyperparameterTuningJob? TuningJob { get; }

    /// <summary>Whether the run was cancelled by an interrupt of this process (Ctrl-C), not by a cancel request.</summary>
    public bool Interrupted { get; }

    /// <summary>Whether the run could not start because of the command line or the document (rather than this machine).</summary>
    public bool IsConfigurationError { get; internal init; }

    /// <summary>The final JobState value.</summary>
    public string State => CustomJob?.State ?? TuningJob?.State ?? LocalJobStates.Unspecified;

    /// <summary>The job's error (code and message), when it did not succeed.</summary>
    public RpcStatus? Error => CustomJob?.Error ?? TuningJob?.Error;
}
