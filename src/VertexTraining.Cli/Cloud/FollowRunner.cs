using VertexTraining.Core.Cloud;

namespace VertexTraining.Cli.Cloud;

/// <summary>Follows a job for wait, logs --follow and submit --wait, with the same Ctrl-C behaviour.</summary>
internal static class FollowRunner
{
    /// <summary>Follows until the end; null when interrupted (the user was told how to re-attach).</summary>
    public static async Task<VertexJob?> FollowAsync(CliContext context, CloudSession session, VertexJob job, string? task,
        TextWriter output, bool printStates, double pollIntervalSeconds, bool noLogs, CancellationToken cancellationToken, Func<LogLine, string>? formatLine = null)
    {
        var options = new FollowOptions
        {
            PollInterval = TimeSpan.FromSeconds(Math.Max(0, pollIntervalSeconds)),
            Delay = context.PollDelay,
        };
        // Logs are read from the project named in the job (the service answers with the project number, which Logging accepts too).
        var follower = new JobFollower(session.Jobs, noLogs ? null : j => new JobLogReader(session.Logs, j.Name.Project, j.Name.Id, task), options);
        try
        {
            return await follower.FollowAsync(job, new FollowPrinter(output, context.Err, printStates, formatLine), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            FollowPrinter.Detached(job.Name, context.Err);
            return null;
        }
    }
}
