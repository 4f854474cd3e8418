namespace VertexTraining.Core.Local;

/// <summary>The JobState and Trial.State values a local run records (VERTEX_API.md §3).</summary>
public static class LocalJobStates
{
    /// <summary>JobState values.</summary>
    public const string Unspecified = "JOB_STATE_UNSPECIFIED";
    public const string Pending = "JOB_STATE_PENDING";
    public const string Running = "JOB_STATE_RUNNING";
    public const string Succeeded = "JOB_STATE_SUCCEEDED";
    public const string Failed = "JOB_STATE_FAILED";
    public const string Cancelling = "JOB_STATE_CANCELLING";
    public const string Cancelled = "JOB_STATE_CANCELLED";

    /// <summary>Trial.State values: running, measured, ended without a measurement (failed or silent).</summary>
    public const string TrialActive = "ACTIVE";
    public const string TrialSucceeded = "SUCCEEDED";
    public const string TrialInfeasible = "INFEASIBLE";

    /// <summary>Whether the job has ended.</summary>
    public static bool IsTerminal(string? state) => state is Succeeded or Failed or Cancelled;
}
