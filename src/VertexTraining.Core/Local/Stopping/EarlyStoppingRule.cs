using System.Globalization;
using VertexTraining.Core.Api;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Core.Local.Stopping;

/// <summary>One intermediate report of a trial's metric: <c>HyperTune.Report(metric, value, step)</c>.</summary>
/// <param name="Step">global_step; reports without a step (step 0) are not intermediate reports.</param>
/// <param name="Value">The metric's value as reported.</param>
public readonly record struct CurvePoint(long Step, double Value);

/// <summary>A trial that has ended with a final value, and the intermediate reports that led to it.</summary>
/// <param name="Points">Its intermediate reports (any order; step 0 ignored).</param>
/// <param name="Final">Its final measurement's value.</param>
/// <param name="StoppedEarly">Whether a stopping rule ended it: its final value is then not where its curve would have ended.</param>
public sealed record CompletedCurve(IReadOnlyList<CurvePoint> Points, double Final, bool StoppedEarly = false);

/// <summary>Why a running trial should stop now.</summary>
/// <param name="Step">The step of the trial's last report, where it was judged.</param>
/// <param name="Reason">The comparison that condemned it, in words.</param>
public sealed record StopDecision(long Step, string Reason);

/// <summary>
/// An automated stopping rule of a study (StudySpec's medianAutomatedStoppingSpec or decayCurveStoppingSpec):
/// judges a running trial's intermediate reports against the trials that have completed.
/// </summary>
public abstract class EarlyStoppingRule
{
    /// <summary>How many completed trials with intermediate reports a rule needs before it judges anyone.</summary>
    /// <remarks>
    /// Vertex AI does not document its minimum. With fewer than three, a median or a curve fit is one or two noisy
    /// curves, and a single lucky early trial would condemn every trial after it.
    /// </remarks>
    public const int MinCompletedTrials = 3;

    private protected EarlyStoppingRule(MetricGoal goal) => Goal = goal;

    /// <summary><c>Median</c> or <c>DecayCurve</c>, as VertexEarlyStopping spells it.</summary>
    public abstract string Name { get; }

    /// <summary>Whether larger or smaller values are better.</summary>
    public MetricGoal Goal { get; }

    /// <summary>
    /// The rule's verdict on a running trial from its reports so far: null to let it run on (also when it has no
    /// intermediate report yet, or too few trials have completed to compare with).
    /// </summary>
    public StopDecision? Judge(IReadOnlyList<CurvePoint> running, IReadOnlyList<CompletedCurve> completed)
    {
        var curve = InStepOrder(running);
        if (curve.Count == 0)
        {
            return null;
        }

        var others = completed
            .Select(c => new Oriented(InStepOrder(c.Points), Orient(c.Final), c.StoppedEarly))
            .Where(c => c.Points.Count > 0)
            .ToList();
        return others.Count < MinCompletedTrials ? null : Judge(curve, others);
    }

    /// <summary>The rule on curves oriented so that larger is better, each with at least one report.</summary>
    private protected abstract StopDecision? Judge(IReadOnlyList<CurvePoint> running, IReadOnlyList<Oriented> completed);

    /// <summary>A completed trial, oriented so that larger is better.</summary>
    private protected sealed record Oriented(IReadOnlyList<CurvePoint> Points, double Final, bool StoppedEarly);

    /// <summary>A value oriented so that larger is better.</summary>
    private protected double Orient(double value) => Goal == MetricGoal.Maximize ? value : -value;

    /// <summary>A value in the metric's own orientation, for messages.</summary>
    private protected string Show(double oriented) => Orient(oriented).ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>The values up to and including <paramref name="step"/> of a curve in step order.</summary>
    private protected static IEnumerable<double> UpTo(IReadOnlyList<CurvePoint> curve, long step) =>
        curve.TakeWhile(p => p.Step <= step).Select(p => p.Value);

    // Intermediate reports in step order, larger is better; a step reported twice keeps its last value (a trainer that
    // resumed from a checkpoint reports the same steps again).
    private List<CurvePoint> InStepOrder(IReadOnlyList<CurvePoint> points)
    {
        var byStep = new SortedDictionary<long, double>();
        foreach (var point in points.Where(p => p.Step > 0 && double.IsFinite(p.Value)))
        {
            byStep[point.Step] = Orient(point.Value);
        }

        return [.. byStep.Select(p => new CurvePoint(p.Key, p.Value))];
    }
}

/// <summary>Creates a study's automated stopping rule.</summary>
public static class EarlyStoppingRules
{
    /// <summary>The values VertexEarlyStopping takes.</summary>
    public static readonly IReadOnlyList<string> Names = ["None", "Median", "DecayCurve"];

    /// <summary>The rule the study asks for, or null when it asks for none.</summary>
    public static EarlyStoppingRule? FromStudy(StudySpec study, MetricGoal goal) =>
        study.MedianAutomatedStoppingSpec is not null ? new MedianStoppingRule(goal)
        : study.DecayCurveStoppingSpec is not null ? new DecayCurveStoppingRule(goal)
        : null;

    /// <summary>The rule named as VertexEarlyStopping names it (<c>None</c> gives null).</summary>
    public static EarlyStoppingRule? Create(string name, MetricGoal goal) => name switch
    {
        "Median" => new MedianStoppingRule(goal),
        "DecayCurve" => new DecayCurveStoppingRule(goal),
        "None" => null,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"One of {string.Join(", ", Names)}."),
    };
}
