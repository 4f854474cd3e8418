using System.Globalization;
using System.Text.Json;
using VertexTraining.Core.Api;
using VertexTraining.Core.Output;

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
    /// <summary>Succeeded trials that the study's automated stopping rule stopped early (local runs).</summary>
    public int StoppedEarly { get; init; }

    /// <summary><c>3 succeeded, 1 running, 0 failed of 10</c>, or <c>3 succeeded (2 stopped early), ...</c>.</summary>
    public override string ToString() =>
        $"{Succeeded} succeeded{(StoppedEarly > 0 ? $" ({StoppedEarly} stopped early)" : "")}, {Running} running, {Failed} failed of {Max}";
}

/// <summary>
/// The trials of a tuning job with the best one marked according to the study's goal, and their text form.
/// The one rendering of trials: <c>dotnet vertex trials</c> (cloud and local jobs) and the end of <c>local-run</c> print it.
/// </summary>
public sealed class TrialReport
{
    private TrialReport(string metricId, string goal, IReadOnlyList<TrialRow> rows, TrialProgress counts, bool ended)
    {
        Ended = ended;
        MetricId = metricId;
        Goal = goal;
        Rows = rows;
        Counts = counts;
    }

    /// <summary>Whether the job has ended: then no best trial is "yet" to come.</summary>
    public bool Ended { get; }

    /// <summary>The study's (first) metric.</summary>
    public string MetricId { get; }

    /// <summary>MAXIMIZE or MINIMIZE (unspecified reads as MAXIMIZE, as the service does).</summary>
    public string Goal { get; }

    /// <summary>Rows ordered by trial id.</summary>
    public IReadOnlyList<TrialRow> Rows { get; }

    /// <summary>The best row, or null when no trial produced the metric.</summary>
    public TrialRow? Best => Rows.FirstOrDefault(r => r.IsBest);

    /// <summary>Trial counts by outcome (see <see cref="Progress"/>).</summary>
    public TrialProgress Counts { get; }

    /// <summary>Counts trials by outcome.</summary>
    public static TrialProgress Progress(HyperparameterTuningJob job)
    {
        var trials = job.Trials ?? [];
        return new TrialProgress(
            trials.Count(t => t.State == "SUCCEEDED"),
            trials.Count(t => t.State is "REQUESTED" or "ACTIVE" or "STOPPING"),
            trials.Count(t => t.State == "INFEASIBLE"),
            job.MaxTrialCount ?? 0)
        {
            StoppedEarly = trials.Count(t => t.State == "SUCCEEDED" && t.StoppedEarlyAtStep is not null),
        };
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
            IsStoppedWithTheJob(t) ? "STOPPED" : t.State ?? "STATE_UNSPECIFIED",
            (t.Parameters ?? []).Select(p => new KeyValuePair<string, string>(p.ParameterId, FormatValue(p.Value))).ToList(),
            values[i],
            Duration(t),
            i == bestIndex,
            NoteFor(t, values[i], metricId))).ToList();
        return new TrialReport(metricId, goal, rows, Progress(job), JobStates.IsTerminal(job.State));
    }

    /// <summary>
    /// The table, one line per trial: best mark (<c>*</c>), id, state, metric, duration, parameters, note; or
    /// <c>No trials yet.</c>. Ends with a newline.
    /// </summary>
    public string FormatTable()
    {
        if (Rows.Count == 0)
        {
            return "No trials yet." + Environment.NewLine;
        }

        var table = new TextTable("", "TRIAL", "STATE", MetricId.Length > 0 ? MetricId.ToUpperInvariant() : "METRIC", "DURATION", "PARAMETERS", "NOTE");
        foreach (var row in Rows)
        {
            table.Add(row.IsBest ? "*" : "", row.Id, row.State, FormatNumber(row.MetricValue), FormatDuration(row.Duration),
                string.Join(" ", row.Parameters.Select(p => $"{p.Key}={p.Value}")), row.Note);
        }

        using var text = new StringWriter();
        table.WriteTo(text);
        return text.ToString();
    }

    /// <summary>The best trial in one line: <c>Best trial: 5 (accuracy = 0.97, goal MAXIMIZE)</c>, or why there is none.</summary>
    public string DescribeBest() => Best is { } best
        ? $"Best trial: {best.Id} ({MetricId} = {FormatNumber(best.MetricValue)}, goal {Goal})"
        : $"Best trial: none{(Ended ? "" : " yet")} (no succeeded trial reported '{MetricId}')";

    /// <summary>The whole text: the table, the trial counts and the best trial.</summary>
    public string Format() =>
        FormatTable() + $"Trials: {Counts}" + Environment.NewLine + DescribeBest() + Environment.NewLine;

    /// <summary>A metric value as the table shows it (six significant digits); empty when absent.</summary>
    public static string FormatNumber(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "";

    /// <summary>A duration as the table shows it: <c>42.5s</c>, <c>3m07s</c>, <c>2h05m00s</c>; empty when unknown.</summary>
    public static string FormatDuration(TimeSpan? duration) => duration switch
    {
        null => "",
        { TotalHours: >= 1 } d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}h{d.Minutes:00}m{d.Seconds:00}s"),
        { TotalMinutes: >= 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.Minutes}m{d.Seconds:00}s"),
        { } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.#}s"),
    };

    private static double? MetricOf(Trial trial, string metricId) =>
        trial.FinalMeasurement?.Metrics?.FirstOrDefault(m => m.MetricId == metricId)?.Value;

    private static TimeSpan? Duration(Trial trial) =>
        VertexJob.ParseTime(trial.StartTime) is { } start && VertexJob.ParseTime(trial.EndTime) is { } end && end >= start ? end - start : null;

    /// <summary>
    /// A trial the local runner stopped because its job ended (cancelled, or failed through other
    /// trials) is recorded INFEASIBLE, as Vertex would, but did nothing wrong: shown as STOPPED.
    /// </summary>
    private static bool IsStoppedWithTheJob(Trial trial) =>
        trial.State == "INFEASIBLE" && trial.InfeasibleReason?.StartsWith(StoppedWithTheJobPrefix, StringComparison.Ordinal) == true;

    /// <summary>How the local runner's reason for such a trial starts.</summary>
    public const string StoppedWithTheJobPrefix = "Stopped: the job ";

    private static string NoteFor(Trial trial, double? value, string metricId) => trial.State switch
    {
        "INFEASIBLE" when IsStoppedWithTheJob(trial) => $"stopped: {trial.InfeasibleReason!["Stopped: ".Length..].TrimEnd('.')}",
        "INFEASIBLE" when !string.IsNullOrWhiteSpace(trial.InfeasibleReason) => $"infeasible: {trial.InfeasibleReason}",
        "INFEASIBLE" => $"infeasible: the trial failed or never reported '{metricId}' (HyperTune.Report)",
        "SUCCEEDED" when trial.StoppedEarlyAtStep is { } step => string.Create(CultureInfo.InvariantCulture, $"stopped early at step {step}"),
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
