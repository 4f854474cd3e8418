using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli;

/// <summary>
/// The documented exit codes of <c>dotnet vertex</c> (and of SubmitTraining with VertexWait):
/// scripts branch on them, so they never change meaning.
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
