using VertexTraining.Core.Cloud;

namespace VertexTraining.Core.Local;

/// <summary>
/// The states a local run records: the cloud's own JobState values (one definition, in
/// <see cref="JobStates"/>), plus the Trial.State values of local trials.
/// </summary>
public static class LocalJobStates
{
    /// <summary>JobState values a local run moves through.</summary>
    public const string Unspecified = JobStates.Unspecified;
    public const string Pending = JobStates.Pending;
    public const string Running = JobStates.Running;
    public const string Succeeded = JobStates.Succeeded;
    public const string Failed = JobStates.Failed;
    public const string Cancelling = JobStates.Cancelling;
    public const string Cancelled = JobStates.Cancelled;

    /// <summary>Trial.State values: running, measured, ended without a measurement (failed or silent).</summary>
    public const string TrialActive = "ACTIVE";
    public const string TrialSucceeded = "SUCCEEDED";
    public const string TrialInfeasible = "INFEASIBLE";

    /// <summary>Whether the job has ended.</summary>
    public static bool IsTerminal(string? state) => state is Succeeded or Failed or Cancelled;
}
