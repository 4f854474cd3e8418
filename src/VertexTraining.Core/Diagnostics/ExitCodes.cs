using VertexTraining.Core.Cloud;

namespace VertexTraining.Core.Diagnostics;

/// <summary>One exit code of <c>dotnet vertex</c>: its value, a few words for help text, and what it means.</summary>
/// <param name="Value">The process exit code.</param>
/// <param name="Summary">A few words, as the CLI's help lists them.</param>
/// <param name="Meaning">The full meaning, as README's exit-code table states it (Markdown).</param>
public sealed record ExitCode(int Value, string Summary, string Meaning);

/// <summary>
/// The documented exit codes of <c>dotnet vertex</c> (and of SubmitTraining with VertexWait):
/// scripts branch on them, so they never change meaning. <see cref="All"/> is the one place their
/// meanings are written: the CLI's help, the targets' messages and README's table come from it.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command succeeded; for a followed job, the job SUCCEEDED.</summary>
    public const int Success = 0;

    /// <summary>The job ended FAILED (or, for local runs, a replica failed).</summary>
    public const int JobFailed = 1;

    /// <summary>The command line or the project's configuration is invalid (VTX1xxx).</summary>
    public const int BadConfiguration = 2;

    /// <summary>No credentials, or they could not produce a token (VTX3xxx).</summary>
    public const int AuthFailed = 3;

    /// <summary>The Vertex AI or Cloud Logging API returned an error (VTX4xxx), or the build/push failed (VTX2xxx).</summary>
    public const int ApiError = 4;

    /// <summary>The job ended CANCELLED.</summary>
    public const int JobCancelled = 5;

    /// <summary>The job hit its timeout or the local run failed to start (VTX5xxx).</summary>
    public const int LocalExecutionFailed = 6;

    /// <summary>Interrupted by Ctrl-C while following; a cloud job keeps running.</summary>
    public const int Interrupted = 130;

    /// <summary>Every exit code, in ascending order.</summary>
    public static IReadOnlyList<ExitCode> All { get; } =
    [
        new(Success, "success", "success; a followed job SUCCEEDED"),
        new(JobFailed, "job failed", "the job FAILED"),
        new(BadConfiguration, "bad configuration",
            "bad configuration or command line (VTX1xxx, e.g. VTX1016 unparsable command line, VTX1017 bad `--poll-interval`; VTX4010, VTX4012 bad job name or request document)"),
        new(AuthFailed, "authentication", "authentication (VTX3xxx; VTX3007 means the token endpoint was down, try again)"),
        new(ApiError, "API or build error", "API or build error (VTX2xxx, VTX4xxx; a follower only stops on answers such as 403/404, never on outages)"),
        new(JobCancelled, "job cancelled", "the job was CANCELLED"),
        new(LocalExecutionFailed, "local execution failed", "a local run could not start (VTX5xxx)"),
        new(Interrupted, "interrupted", "interrupted (Ctrl-C)"),
    ];

    /// <summary>"0 success, 1 job failed, ..." for the given codes (all when none are given), as help text lists them.</summary>
    public static string Describe(params int[] values) =>
        string.Join(", ", All.Where(e => values.Length == 0 || values.Contains(e.Value)).Select(e => $"{e.Value} {e.Summary}"));

    /// <summary>The few words for <paramref name="value"/>, or "unknown exit code" for one we never return (a crash, a kill).</summary>
    public static string SummaryOf(int value) => All.FirstOrDefault(e => e.Value == value)?.Summary ?? "unknown exit code";

    /// <summary>The exit code for a diagnostic code: its range decides, except for the job-outcome codes.</summary>
    public static int ForDiagnostic(string code) => code switch
    {
        DiagnosticCodes.JobEndedFailed or DiagnosticCodes.JobEndedOtherwise => JobFailed,
        DiagnosticCodes.JobEndedCancelled => JobCancelled,
        // A local job that ran and ended badly is a failed job, as in the cloud, not a failure to run.
        DiagnosticCodes.ReplicaFailed or DiagnosticCodes.TooManyFailedTrials or DiagnosticCodes.NoTrialReportedMetric => JobFailed,
        DiagnosticCodes.LocalJobCancelled => JobCancelled,
        DiagnosticCodes.InvalidJobReference or DiagnosticCodes.InvalidRequestDocument => BadConfiguration,
        _ when code.StartsWith("VTX1", StringComparison.Ordinal) => BadConfiguration,
        _ when code.StartsWith("VTX3", StringComparison.Ordinal) => AuthFailed,
        _ when code.StartsWith("VTX5", StringComparison.Ordinal) => LocalExecutionFailed,
        _ => ApiError,
    };

    /// <summary>The exit code for a job's final state.</summary>
    public static int ForOutcome(JobOutcome outcome) => outcome switch
    {
        JobOutcome.Succeeded => Success,
        JobOutcome.Cancelled => JobCancelled,
        _ => JobFailed,
    };
}
