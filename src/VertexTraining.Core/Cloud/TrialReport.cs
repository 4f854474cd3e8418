using System.Globalization;
using System.Text.Json;
using VertexTraining.Core.Api;

namespace VertexTraining.Core.Cloud;

/// <summary>One trial of a tuning job, as a table row.</summary>
/// <param name="Id">The trial id ("1", "2", ...).</param>
/// <param name="State">Trial.State (SUCCEEDED, INFEASIBLE, ACTIVE, ...).</param>
/// <param name="Parameters">parameterId → value, as the trial received them.</param>
/// <param name="MetricValue">The final measurement of the study's metric, if any.</param>
/// <param name="Duration">End minus start, when both are known.</param>
/// <param name="IsBest">The best succeeded trial for the study's goal.</param>
/// <param name="Note">Why a trial has no result (infeasible reason, missing metric), or empty.</param>
public sealed record TrialRow(string Id, string State, IReadOnlyList<KeyValuePair<string, string>> Parameters, double? MetricValue, TimeSpan? Duration, bool IsBest, string Note);

/// <summary>Trial counts of a tuning job: how far it got.</summary>
/// <param name="Succeeded">Trials that SUCCEEDED.</param>
/// <param name="Running">Trials REQUESTED, ACTIVE or STOPPING.</param>
/// <param name="Failed">Trials that ended INFEASIBLE (failed, or never reported the metric).</param>
/// <param name="Max">maxTrialCount.</param>
public sealed record TrialProgress(int Succeeded, int Running, int Failed, int Max)
{
    /// <summary><c>3 succeeded, 1 running, 0 failed of 10</c>.</summary>
    public override string ToString() => $"{Succeeded} succeeded, {Running} running, {Failed} failed of {Max}";
}

/// <summary>The trials of a tuning job with the best one marked according to the study's goal.</summary>
public sealed class TrialReport
{
    private TrialReport(string metricId, string goal, IReadOnlyList<TrialRow> rows)
    {
        MetricId = metricId;
        Goal = goal;
        Rows = rows;
    }

    /// <summary>The study's (first) metric.</summary>
    public string MetricId { get; }

    /// <summary>MAXIMIZE or MINIMIZE (unspecified reads as MAXIMIZE, as the service does).</summary>
    public string Goal { get; }

    /// <summary>Rows ordered by trial id.</summary>
    public IReadOnlyList<TrialRow> Rows { get; }

    /// <summary>The best row, or null when no trial produced the metric.</summary>
    public TrialRow? Best => Rows.FirstOrDefault(r => r.IsBest);

    /// <summary>Counts trials by outcome.</summary>
    public static TrialProgress Progress(HyperparameterTuningJob job)
    {
        var trials = job.Trials ?? [];
        return new TrialProgress(
            trials.Count(t => t.State == "SUCCEEDED"),
            trials.Count(t => t.State is "REQUESTED" or "ACTIVE" or "STOPPING"),
            trials.Count(t => t.State == "INFEASIBLE"),
            job.MaxTrialCount ?? 0);
    }

    /// <summary>Builds the report of a tuning job read with get (list does not return trials).</summary>
    public static TrialReport From(HyperparameterTuningJob job)
    {
        var metric = job.StudySpec?.Metrics?.FirstOrDefault();
        var metricId = metric?.MetricId ?? "";
        var goal = string.Equals(metric?.Goal, "MINIMIZE", StringComparison.OrdinalIgnoreCase) ? "MINIMIZE" : "MAXIMIZE";

        var trials = (job.Trials ?? []).OrderBy(t => long.TryParse(t.Id, out var n) ? n : long.MaxValue).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        var values = trials.Select(t => MetricOf(t, metricId)).ToList();

        var bestIndex = -1;
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].State != "SUCCEEDED" || values[i] is not { } value)
            {
                continue;
            }

            // Ties keep the earlier trial: it got there first.
            if (bestIndex < 0 || (goal == "MINIMIZE" ? value < values[bestIndex]!.Value : value > values[bestIndex]!.Value))
            {
                bestIndex = i;
            }
        }

        var rows = trials.Select((t, i) => new TrialRow(
            t.Id ?? "?",
            t.State ?? "STATE_UNSPECIFIED",
            (t.Parameters ?? []).Select(p => new KeyValuePair<string, string>(p.ParameterId, FormatValue(p.Value))).ToList(),
            values[i],
            Duration(t),
            i == bestIndex,
            NoteFor(t, values[i], metricId))).ToList();
        return new TrialReport(metricId, goal, rows);
    }

    private static double? MetricOf(Trial trial, string metricId) =>
        trial.FinalMeasurement?.Metrics?.FirstOrDefault(m => m.MetricId == metricId)?.Value;

    private static TimeSpan? Duration(Trial trial) =>
        VertexJob.ParseTime(trial.StartTime) is { } start && VertexJob.ParseTime(trial.EndTime) is { } end && end >= start ? end - start : null;

    private static string NoteFor(Trial trial, double? value, string metricId) => trial.State switch
    {
        "INFEASIBLE" when !string.IsNullOrWhiteSpace(trial.InfeasibleReason) => $"infeasible: {trial.InfeasibleReason}",
        "INFEASIBLE" => $"infeasible: the trial failed or never reported '{metricId}' (HyperTune.Report)",
        "SUCCEEDED" when value is null => $"no final value for '{metricId}'",
        "REQUESTED" => "waiting to start",
        "ACTIVE" => "running",
        "STOPPING" => "stopping",
        _ => "",
    };

    /// <summary>A google.protobuf.Value parameter as text: numbers as written, strings bare.</summary>
    public static string FormatValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : value.GetDouble().ToString("G6", CultureInfo.InvariantCulture),
        JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };
}
