using System.CommandLine;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// <c>dotnet vertex wait JOB</c>: follows a job to its end, printing state changes and its log lines,
/// and exits with the code of its final state. Ctrl-C stops following only. A local job (<c>local/&lt;id&gt;</c>) is
/// followed through its run folder.
/// </summary>
internal static class WaitCommand
{
    public static Command Create()
    {
        var job = JobLocator.JobArgument();
        var options = new CloudOptions();
        var pollInterval = FollowOptionsFactory.PollInterval();
        var noLogs = new Option<bool>("--no-logs") { Description = "Follow the state only, without streaming log lines." };
        var command = new Command("wait", "Follow a job to its end, streaming state changes and log lines; the exit code comes from the final state ("
            + $"{ExitCodes.Describe(ExitCodes.Success, ExitCodes.JobFailed, ExitCodes.JobCancelled, ExitCodes.Interrupted)}).")
        {
            job, pollInterval, noLogs,
        };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var interval = FollowOptionsFactory.PollIntervalSeconds(parse, pollInterval);
            var found = await JobLocator.FindAsync(context, parse, options, parse.GetValue(job)!, cancellationToken);
            var json = parse.GetValue(options.Json);
            // With --json, stdout carries only the final job; progress goes to stderr for the human watching.
            var progress = json ? context.Err : context.Out;
            var final = found.LocalJob is { } local
                ? await FollowRunner.FollowLocalAsync(context, local, task: null, progress, printStates: true,
                    interval, parse.GetValue(noLogs), cancellationToken)
                : await FollowRunner.FollowAsync(context, found.Session!, found.CloudJob!, task: null, progress, printStates: true,
                    interval, parse.GetValue(noLogs), cancellationToken) is { } cloud ? JobView.FromCloud(cloud) : null;
            if (final is null)
            {
                return ExitCodes.Interrupted;
            }

            if (json)
            {
                context.Out.WriteLine(Formats.Json(final.Resource));
            }

            return FollowPrinter.Conclude(final, context.Err);
        });
        return command;
    }
}
