using System.CommandLine;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Commands;

/// <summary><c>dotnet vertex status JOB</c>: state, times, error, and a tuning job's trial progress; for cloud and local (<c>local/&lt;id&gt;</c>) jobs alike.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var job = JobLocator.JobArgument();
        var options = new CloudOptions();
        var command = new Command("status", "Show a job's state, times, error and (for a tuning job) trial progress.") { job };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var found = (await JobLocator.FindAsync(context, parse, options, parse.GetValue(job)!, cancellationToken)).View;
            if (parse.GetValue(options.Json))
            {
                context.Out.WriteLine(Formats.Json(found.Resource));
                return ExitCodes.Success;
            }

            Print(found, context.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    // A crashing trainer is restarted up to 23 times: the first reasons and the last one say enough.
    private static string DescribeReasons(IReadOnlyList<string> reasons) =>
        reasons.Count <= 3 ? string.Join("; ", reasons) : $"{reasons[0]}; {reasons[1]}; ... {reasons.Count - 3} more ...; {reasons[^1]}";

    internal static void Print(JobView job, TextWriter output)
    {
        var rows = new List<(string, string)>
        {
            ("Name", job.Name),
            ("Display name", job.DisplayName ?? ""),
            ("Kind", job.Kind.ToString()),
            ("State", JobStates.Short(job.State)),
            // Cloud jobs only: a local job's PENDING is its replicas starting, not a wait for machines.
            ("Means", JobStates.NeedsExplaining(job.State) && !LocalJobName.IsLocal(job.Name) ? JobStates.Meaning(job.State) : ""),
            ("Created", Formats.Time(job.CreateTime)),
            ("Started", Formats.Time(job.StartTime)),
            ("Ended", Formats.Time(job.EndTime)),
        };
        if (job.StartTime is { } start)
        {
            rows.Add(("Duration", Formats.Duration((job.EndTime ?? DateTimeOffset.UtcNow) - start)));
        }

        if (job.Error is { } error)
        {
            rows.Add(("Error", $"{error.Message} (code {error.Code})"));
        }

        if (job.TuningJob is { } tuning)
        {
            rows.Add(("Trials", TrialReport.Progress(tuning).ToString()));
            if (tuning.Trials is { Count: > 0 } && TrialReport.From(tuning) is { Best: { } best } report)
            {
                rows.Add(("Best trial", $"{best.Id} ({report.MetricId} = {TrialReport.FormatNumber(best.MetricValue)}, {report.Goal})"));
            }
        }

        foreach (var (task, restarts) in job.Restarts)
        {
            rows.Add(("Restarts", $"{task}: {restarts.Count} ({DescribeReasons(restarts.Reasons)})"));
        }

        rows.Add(job.Where);
        var width = rows.Max(r => r.Item1.Length) + 1;
        foreach (var (label, value) in rows.Where(r => r.Item2.Length > 0))
        {
            output.WriteLine($"{(label + ":").PadRight(width)} {value}");
        }
    }
}
