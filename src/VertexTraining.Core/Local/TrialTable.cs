using System.Globalization;
using System.Text;
using System.Text.Json;
using VertexTraining.Core.Api;

namespace VertexTraining.Core.Local;

/// <summary>The trials of a tuning job as a text table, the best trial marked with <c>*</c>.</summary>
public static class TrialTable
{
    /// <summary>The best trial: the SUCCEEDED trial whose final measurement is best for the study's goal.</summary>
    public static Trial? Best(HyperparameterTuningJob job)
    {
        var metric = job.StudySpec?.Metrics?.FirstOrDefault();
        var scored = (job.Trials ?? [])
            .Where(t => t.State == LocalJobStates.TrialSucceeded)
            .Select(t => (Trial: t, Value: ValueOf(t, metric?.MetricId)))
            .Where(t => t.Value is not null)
            .ToList();
        if (scored.Count == 0)
        {
            return null;
        }

        return metric?.Goal == "MINIMIZE" ? scored.MinBy(t => t.Value)!.Trial : scored.MaxBy(t => t.Value)!.Trial;
    }

    /// <summary>The table: one row per trial (by id), with each parameter, the metric and the reason a trial is infeasible.</summary>
    public static string Format(HyperparameterTuningJob job)
    {
        var metricId = job.StudySpec?.Metrics?.FirstOrDefault()?.MetricId ?? "metric";
        var trials = (job.Trials ?? []).OrderBy(t => int.TryParse(t.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue).ToList();
        var parameterIds = trials.SelectMany(t => t.Parameters ?? []).Select(p => p.ParameterId).Distinct(StringComparer.Ordinal).ToList();
        var best = Best(job);

        var header = new List<string> { "", "TRIAL", "STATE" };
        header.AddRange(parameterIds);
        header.Add(metricId);
        header.Add("NOTE");
        var rows = new List<List<string>> { header };
        foreach (var trial in trials)
        {
            var row = new List<string> { trial == best ? "*" : "", trial.Id ?? "", trial.State ?? "" };
            row.AddRange(parameterIds.Select(id => trial.Parameters?.FirstOrDefault(p => p.ParameterId == id) is { } p ? Text(p.Value, "G6") : "-"));
            row.Add(ValueOf(trial, metricId) is { } value ? value.ToString("G6", CultureInfo.InvariantCulture) : "-");
            row.Add(trial.InfeasibleReason ?? "");
            rows.Add(row);
        }

        var widths = Enumerable.Range(0, header.Count).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == row.Count - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        }

        return text.ToString();
    }

    /// <summary>The best trial in one line, or a note that no trial succeeded.</summary>
    public static string DescribeBest(HyperparameterTuningJob job)
    {
        var metricId = job.StudySpec?.Metrics?.FirstOrDefault()?.MetricId ?? "metric";
        if (Best(job) is not { } best)
        {
            return $"No trial reported '{metricId}'.";
        }

        // Full precision here: the line is meant to be copied onto a command line.
        var parameters = string.Join(" ", (best.Parameters ?? []).Select(p => $"--{p.ParameterId}={Text(p.Value, "R")}"));
        return string.Create(CultureInfo.InvariantCulture, $"Best trial: {best.Id} with {metricId} = {ValueOf(best, metricId):R} ({parameters})");
    }

    private static double? ValueOf(Trial trial, string? metricId) =>
        trial.FinalMeasurement?.Metrics?.FirstOrDefault(m => metricId is null || m.MetricId == metricId)?.Value;

    private static string Text(JsonElement value, string numberFormat) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetDouble().ToString(numberFormat, CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };
}
