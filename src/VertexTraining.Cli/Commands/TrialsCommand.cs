using System.CommandLine;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Commands;

/// <summary><c>dotnet vertex trials JOB</c>: one row per trial of a tuning job (cloud or <c>local/&lt;id&gt;</c>), the best one marked.</summary>
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
            var found = (await JobLocator.FindAsync(context, parse, options, parse.GetValue(job)!, cancellationToken)).View;
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
                    job = found.Name,
                    state = found.State,
                    metricId = report.MetricId,
                    goal = report.Goal,
                    bestTrialId = report.Best?.Id,
                    trials = report.Rows.Select(r => new
                    {
                        id = r.Id,
                        state = r.State,
                        // The values as the API holds them (numbers unrounded), not the table's short form.
                        parameters = ExactParameters(tuning, r.Id),
                        metric = r.MetricValue,
                        durationSeconds = r.Duration?.TotalSeconds,
                        best = r.IsBest,
                        note = r.Note.Length > 0 ? r.Note : null,
                    }),
                }));
                return ExitCodes.Success;
            }

            // The one text form of trials, also printed at the end of local-run.
            context.Out.Write(report.Format());
            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, System.Text.Json.JsonElement> ExactParameters(Core.Api.HyperparameterTuningJob tuning, string trialId) =>
        (tuning.Trials?.FirstOrDefault(t => t.Id == trialId)?.Parameters ?? [])
            .GroupBy(p => p.ParameterId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
}
