using System.CommandLine;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Commands;

/// <summary><c>dotnet vertex trials JOB</c>: one row per trial of a tuning job, the best one marked.</summary>
internal static class TrialsCommand
{
    public static Command Create()
    {
        var job = JobLocator.JobArgument();
        var options = new CloudOptions();
        var command = new Command("trials", "Show a hyperparameter tuning job's trials: parameters, final metric, duration; the best trial (by the study's goal) is marked with *.") { job };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var (_, found, _) = await JobLocator.LocateAsync(context, parse, options, parse.GetValue(job)!, cancellationToken);
            if (found.TuningJob is not { } tuning)
            {
                throw new VertexCloudException(DiagnosticCodes.InvalidJobReference,
                    $"{found.Name} is a custom job; trials exist only for hyperparameter tuning jobs (declare VertexHyperparameter items to get one).");
            }

            var report = TrialReport.From(tuning);
            if (parse.GetValue(options.Json))
            {
                context.Out.WriteLine(Formats.Json(new
                {
                    job = found.Name.ToString(),
                    state = found.State,
                    metricId = report.MetricId,
                    goal = report.Goal,
                    bestTrialId = report.Best?.Id,
                    trials = report.Rows.Select(r => new
                    {
                        id = r.Id,
                        state = r.State,
                        parameters = r.Parameters.ToDictionary(p => p.Key, p => p.Value),
                        metric = r.MetricValue,
                        durationSeconds = r.Duration?.TotalSeconds,
                        best = r.IsBest,
                        note = r.Note.Length > 0 ? r.Note : null,
                    }),
                }));
                return ExitCodes.Success;
            }

            Print(report, TrialReport.Progress(tuning), context.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static void Print(TrialReport report, TrialProgress progress, TextWriter output)
    {
        var table = new TextTable("", "TRIAL", "STATE", report.MetricId.Length > 0 ? report.MetricId.ToUpperInvariant() : "METRIC", "DURATION", "PARAMETERS", "NOTE");
        foreach (var row in report.Rows)
        {
            table.Add(row.IsBest ? "*" : "", row.Id, row.State, Formats.Number(row.MetricValue), Formats.Duration(row.Duration),
                string.Join(" ", row.Parameters.Select(p => $"{p.Key}={p.Value}")), row.Note);
        }

        if (table.Count == 0)
        {
            output.WriteLine("No trials yet.");
        }
        else
        {
            table.WriteTo(output);
        }

        output.WriteLine($"Trials: {progress}");
        output.WriteLine(report.Best is { } best
            ? $"Best trial: {best.Id} ({report.MetricId} = {Formats.Number(best.MetricValue)}, goal {report.Goal})"
            : $"Best trial: none yet (no succeeded trial reported '{report.MetricId}')");
    }
}
