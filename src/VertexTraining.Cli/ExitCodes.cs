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
}
