namespace VertexTraining.Core.Cloud;

/// <summary>How a job ended, as far as callers (exit codes, messages) care.</summary>
public enum JobOutcome
{
    /// <summary>Not ended yet.</summary>
    Running,

    /// <summary>JOB_STATE_SUCCEEDED.</summary>
    Succeeded,

    /// <summary>JOB_STATE_FAILED.</summary>
    Failed,

    /// <summary>JOB_STATE_CANCELLED.</summary>
    Cancelled,

    /// <summary>Ended otherwise: PAUSED, EXPIRED, PARTIALLY_SUCCEEDED.</summary>
    Other,
}

/// <summary>The JobState enum of the v1 API (cloud.google.com/vertex-ai/docs/reference/rest/v1/JobState) and what each value means to a follower.</summary>
public static class JobStates
{
    public const string Prefix = "JOB_STATE_";
    public const string Unspecified = "JOB_STATE_UNSPECIFIED";
    public const string Queued = "JOB_STATE_QUEUED";
    public const string Pending = "JOB_STATE_PENDING";
    public const string Running = "JOB_STATE_RUNNING";
    public const string Succeeded = "JOB_STATE_SUCCEEDED";
    public const string Failed = "JOB_STATE_FAILED";
    public const string Cancelling = "JOB_STATE_CANCELLING";
    public const string Cancelled = "JOB_STATE_CANCELLED";
    public const string Paused = "JOB_STATE_PAUSED";
    public const string Expired = "JOB_STATE_EXPIRED";
    public const string Updating = "JOB_STATE_UPDATING";
    public const string PartiallySucceeded = "JOB_STATE_PARTIALLY_SUCCEEDED";

    /// <summary>Every value, in enum order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Unspecified, Queued, Pending, Running, Succeeded, Failed, Cancelling, Cancelled, Paused, Expired, Updating, PartiallySucceeded];

    /// <summary>
    /// Whether nothing more will happen. PAUSED counts as an end, as python-aiplatform treats it: a
    /// follower would otherwise wait forever for a job nobody resumes.
    /// </summary>
    public static bool IsTerminal(string? state) => Outcome(state) != JobOutcome.Running;

    /// <summary>The outcome of a state.</summary>
    public static JobOutcome Outcome(string? state) => state switch
    {
        Succeeded => JobOutcome.Succeeded,
        Failed => JobOutcome.Failed,
        Cancelled => JobOutcome.Cancelled,
        Paused or Expired or PartiallySucceeded => JobOutcome.Other,
        _ => JobOutcome.Running,
    };

    /// <summary>What each state means to the user (README's job-state table says the same, with the exit codes).</summary>
    public static string Meaning(string? state) => state switch
    {
        Queued => "accepted, not started: usually waiting for custom-training quota held by other jobs of the project",
        Pending => "machines are being provisioned; a long PENDING usually means no capacity for the machine type in the region",
        Running => "every replica is up and running",
        Succeeded => "the primary replica exited 0",
        Failed => "a replica failed for good, or the job could not start; the error says which",
        Cancelling => "a cancel was asked for; the job may still end SUCCEEDED, FAILED or CANCELLED",
        Cancelled => "cancelled before it ended",
        Paused => "stopped and resumable; nothing more happens until it is resumed, so a follower stops here",
        Expired => "ended without running: its time ran out first (e.g. a FlexStart job whose VertexMaxWaitDuration passed without capacity)",
        Updating => "a running job being updated; it returns to RUNNING",
        PartiallySucceeded => "ended with some of its results missing",
        _ => "the service gave no state (UNSPECIFIED); treated as not started yet",
    };

    /// <summary>Whether a state's meaning is worth a line of its own in <c>status</c>: all but the everyday RUNNING, SUCCEEDED and FAILED.</summary>
    public static bool NeedsExplaining(string? state) => state is not (Running or Succeeded or Failed);

    /// <summary>The state without its prefix, for tables: <c>RUNNING</c>.</summary>
    public static string Short(string? state) =>
        string.IsNullOrEmpty(state) ? "UNSPECIFIED" : state.StartsWith(Prefix, StringComparison.Ordinal) ? state[Prefix.Length..] : state;

    /// <summary>Reads what a user typed (<c>running</c>, <c>JOB_STATE_RUNNING</c>) as an API value.</summary>
    public static bool TryNormalize(string text, out string state)
    {
        var upper = text.Trim().ToUpperInvariant().Replace('-', '_');
        state = upper.StartsWith(Prefix, StringComparison.Ordinal) ? upper : Prefix + upper;
        return All.Contains(state);
    }
}
