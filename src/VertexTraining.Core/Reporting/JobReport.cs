using VertexTraining.Core.Cloud;

namespace VertexTraining.Core.Reporting;

/// <summary>A labelled fact of the report's header (job, state, times, machine shape, image).</summary>
public sealed record ReportFact(string Label, string Value);

/// <summary>One line of a chart: a trial's learning curve, or a run's curve of one tag.</summary>
/// <param name="Name">The legend entry (<c>trial 3</c>, or the tag).</param>
/// <param name="Steps">The x values.</param>
/// <param name="Values">The y values, one per step.</param>
public sealed record ReportCurve(string Name, IReadOnlyList<long> Steps, IReadOnlyList<double> Values);

/// <summary>A chart of curves over steps.</summary>
/// <param name="Title">The chart's title (the tag or metric).</param>
/// <param name="Curves">Its lines.</param>
public sealed record ReportCurveChart(string Title, IReadOnlyList<ReportCurve> Curves);

/// <summary>A study parameter as the charts draw it.</summary>
/// <param name="Id">parameterId.</param>
/// <param name="IsLog">UNIT_LOG_SCALE: drawn on a log axis.</param>
/// <param name="Categories">The values of a categorical parameter, in the study's order; null for numbers.</param>
public sealed record ReportParameter(string Id, bool IsLog, IReadOnlyList<string>? Categories);

/// <summary>The tuning part of a report: the trials and what the charts draw from them.</summary>
/// <param name="Trials">The trial table (best marked, failures explained).</param>
/// <param name="Parameters">The study's parameters.</param>
/// <param name="ParameterValues">trial id → parameterId → the value (a number, or a category as text).</param>
/// <param name="LearningCurves">Each trial's intermediate measurements of the study metric.</param>
public sealed record TuningReportPart(
    TrialReport Trials,
    IReadOnlyList<ReportParameter> Parameters,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> ParameterValues,
    ReportCurveChart LearningCurves);

/// <summary>
/// What <c>dotnet vertex report</c> shows of a job, local or cloud: its facts, for a tuning job its trials, and the
/// scalar curves the run wrote (TensorBoard event files of a local run).
/// </summary>
public sealed class JobReport
{
    /// <summary>The job's resource name (or <c>local/&lt;id&gt;</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The display name, or the name.</summary>
    public required string Title { get; init; }

    /// <summary>The JobState value.</summary>
    public required string State { get; init; }

    /// <summary>Header facts, in display order.</summary>
    public required IReadOnlyList<ReportFact> Facts { get; init; }

    /// <summary>The job's error message, when it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>The commands that run the same job again.</summary>
    public required IReadOnlyList<string> Reproduce { get; init; }

    /// <summary>The job document (the request body) the commands in <see cref="Reproduce"/> take, as JSON.</summary>
    public required string JobDocument { get; init; }

    /// <summary>The tuning part, for a tuning job.</summary>
    public TuningReportPart? Tuning { get; init; }

    /// <summary>One chart per TensorBoard tag the run wrote (for a tuning job, one line per trial).</summary>
    public IReadOnlyList<ReportCurveChart> ScalarCharts { get; init; } = [];

    /// <summary>Why there are no scalar curves, or where else to see them; null when there is nothing to say.</summary>
    public string? ScalarNote { get; init; }

    /// <summary>When the report was made.</summary>
    public DateTimeOffset Generated { get; init; } = DateTimeOffset.UtcNow;
}
