using VertexTraining.Core.Api;

namespace VertexTraining.Core.Local;

/// <summary>
/// Vertex AI's rules for restarting a job's workers ("Understand the custom training service", docs/restarts.md):
/// a worker that exits non-zero is restarted at once in place, up to 5 times; past that the whole job is retried,
/// up to 3 times, then it fails. A permanent error is never restarted. <c>restartJobOnWorkerRestart</c> restarts
/// every worker when one restarts; <c>disableRetries</c> turns all of it off.
/// </summary>
/// <param name="MaxWorkerRestarts">Restarts of one worker after a non-zero exit, per job attempt.</param>
/// <param name="MaxJobRetries">Retries of the whole job once a worker has used up its restarts.</param>
/// <param name="RestartJobOnWorkerRestart">Restart every replica when one restarts.</param>
/// <param name="DisableRetries">Fail on the first non-zero exit or preemption.</param>
internal sealed record RestartRules(int MaxWorkerRestarts, int MaxJobRetries, bool RestartJobOnWorkerRestart, bool DisableRetries)
{
    public const int VertexWorkerRestarts = 5;
    public const int VertexJobRetries = 3;

    /// <summary>No restarts at all: what a run without rules does.</summary>
    public static RestartRules None { get; } = new(0, 0, false, true);

    /// <summary>The rules a job's scheduling asks for. disableRetries forces restartJobOnWorkerRestart off, as the API documents.</summary>
    public static RestartRules From(Scheduling? scheduling) =>
        scheduling?.DisableRetries == true
            ? None
            : new RestartRules(VertexWorkerRestarts, VertexJobRetries, scheduling?.RestartJobOnWorkerRestart == true, false);

    /// <summary>
    /// Exits that mean the replica could not run at all (the engine or the shell could not start the command):
    /// locally these stand for Vertex's "common errors" (a bad image or command), which are permanent.
    /// </summary>
    public static string? PermanentReason(int exitCode) => exitCode switch
    {
        125 => "the container engine could not run it",
        126 => "its command could not be executed",
        127 => "its command was not found",
        _ => null,
    };
}
