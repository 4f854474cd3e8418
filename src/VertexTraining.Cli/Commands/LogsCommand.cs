using System.CommandLine;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// <c>dotnet vertex logs JOB [--follow] [--task workerpool0-0]</c>: the job's log lines from Cloud Logging, or for a
/// local job (<c>local/&lt;id&gt;</c>) from the task logs in its run folder.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var job = JobLocator.JobArgument();
        var options = new CloudOptions();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the job ends; the exit code then comes from its final state." };
        var task = new Option<string?>("--task") { Description = "Only this task's lines, e.g. workerpool0-0 (pool 0, replica 0); for a local tuning job also trial-3 (one trial's tasks)." };
        var pollInterval = FollowOptionsFactory.PollInterval();
        var command = new Command("logs", "Print a job's log lines, each prefixed with its task (workerpool0-0, ...).") { job, follow, task, pollInterval };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var interval = FollowOptionsFactory.PollIntervalSeconds(parse, pollInterval);
            var found = await JobLocator.FindAsync(context, parse, options, parse.GetValue(job)!, cancellationToken);
            if (parse.GetValue(task) is { Length: > 0 } wanted)
            {
                RequireKnownTask(found, wanted);
            }

            var json = parse.GetValue(options.Json);
            if (parse.GetValue(follow))
            {
                var final = found.LocalJob is { } local
                    ? await FollowRunner.FollowLocalAsync(context, local, parse.GetValue(task), context.Out,
                        printStates: false, interval, noLogs: false, cancellationToken, json ? JsonLine : null)
                    : await FollowRunner.FollowAsync(context, found.Session!, found.CloudJob!, parse.GetValue(task), context.Out,
                        printStates: false, interval, noLogs: false, cancellationToken, json ? JsonLine : null) is { } cloud ? JobView.FromCloud(cloud) : null;
                return final is null ? ExitCodes.Interrupted : FollowPrinter.Conclude(final, context.Err);
            }

            // A local job's lines come from its run folder's task logs, printed as the cloud's are.
            var lines = found.LocalJob is { } record
                ? new LocalLogTail(record, parse.GetValue(task)).ReadNew(final: true)
                : await new JobLogReader(found.Session!.Logs, found.CloudJob!.Name.Project, found.CloudJob.Name.Id, parse.GetValue(task)).ReadNewAsync(cancellationToken);
            foreach (var line in lines)
            {
                context.Out.WriteLine(json ? JsonLine(line) : line.ToString());
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A task the job does not have is a usage error, not an empty log.</summary>
    private static void RequireKnownTask(LocatedJob found, string task)
    {
        if (found.LocalSnapshot is { } local)
        {
            JobTasks.RequireKnown(task, local.CustomJob?.JobSpec ?? local.TuningJob?.TrialJobSpec,
                local.TuningJob is { } tuning ? [.. (tuning.Trials ?? []).Select(t => t.Id).OfType<string>()] : null);
        }
        else if (found.CloudJob is { } cloud)
        {
            JobTasks.RequireKnown(task, cloud.CustomJob?.JobSpec ?? cloud.TuningJob?.TrialJobSpec);
        }
    }

    private static string JsonLine(LogLine line) =>
        Formats.JsonLine(new { timestamp = line.Timestamp, task = line.Task, severity = line.Severity, text = line.Text });
}
