using VertexTraining.Core.Cloud;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Cloud;

/// <summary>Follows a job for wait, logs --follow and submit --wait, with the same Ctrl-C behaviour.</summary>
internal static class FollowRunner
{
    /// <summary>The longest pause between reads of a local job: its files are cheap to read, unlike a rate-limited API.</summary>
    public static readonly TimeSpan LocalPollCeiling = TimeSpan.FromSeconds(0.5);

    /// <summary>Follows until the end; null when interrupted (the user was told how to re-attach).</summary>
    public static async Task<VertexJob?> FollowAsync(CliContext context, CloudSession session, VertexJob job, string? task,
        TextWriter output, bool printStates, double pollIntervalSeconds, bool noLogs, CancellationToken cancellationToken, Func<LogLine, string>? formatLine = null)
    {
        var options = new FollowOptions
        {
            PollInterval = TimeSpan.FromSeconds(pollIntervalSeconds),
            Delay = context.PollDelay,
            Retry = context.Retry,
        };
        // Logs are read from the project named in the job (the service answers with the project number, which Logging accepts too).
        var follower = new JobFollower(session.Jobs, noLogs ? null : j => new JobLogReader(session.Logs, j.Name.Project, j.Name.Id, task), options);
        try
        {
            return await follower.FollowAsync(job, new FollowPrinter(output, context.Err, printStates, formatLine), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            FollowPrinter.Detached(job.Name.ToString(), context.Err);
            return null;
        }
    }

    /// <summary>
    /// Follows a local job (<c>local/&lt;id&gt;</c>) by re-reading its job.json and tailing its task logs until it ends;
    /// null when interrupted. Prints through the same <see cref="FollowPrinter"/> as a cloud job.
    /// </summary>
    public static async Task<JobView?> FollowLocalAsync(CliContext context, LocalJobRecord record, string? task,
        TextWriter output, bool printStates, double pollIntervalSeconds, bool noLogs, CancellationToken cancellationToken, Func<LogLine, string>? formatLine = null)
    {
        var printer = new FollowPrinter(output, context.Err, printStates, formatLine);
        var tail = noLogs ? null : new LocalLogTail(record, task);
        var interval = TimeSpan.FromSeconds(Math.Min(pollIntervalSeconds, LocalPollCeiling.TotalSeconds));
        string? lastState = null;
        try
        {
            while (true)
            {
                var job = JobView.FromLocal(record.Read());
                var terminal = JobStates.IsTerminal(job.State);
                if (!terminal && job.State != lastState)
                {
                    printer.StateChanged(job);
                    lastState = job.State;
                }

                printer.Polled(job);

                // The runner records the end only after its replicas' output is written, so this read after
                // seeing the end gets every line (with a last unterminated one).
                if (tail?.ReadNew(final: terminal) is { Count: > 0 } lines)
                {
                    printer.LogLines(lines);
                }

                if (terminal)
                {
                    printer.StateChanged(job);
                    return job;
                }

                await context.PollDelay(interval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            FollowPrinter.Detached(record.Name, context.Err);
            return null;
        }
    }
}
