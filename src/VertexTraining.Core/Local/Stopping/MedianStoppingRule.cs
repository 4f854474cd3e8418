using System.Globalization;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Core.Local.Stopping;

/// <summary>
/// Vertex AI's median automated stopping rule (StudySpec.MedianAutomatedStoppingSpec): a running trial stops when its
/// best value so far is strictly worse than the median, over the completed trials, of each one's running average of
/// the values it reported up to the running trial's last step.
/// </summary>
/// <remarks>
/// Reference: Google Cloud, Vertex AI v1 API, <c>StudySpec.MedianAutomatedStoppingSpec</c> ("stops a pending Trial if
/// the Trial's best objective_value is strictly below the median 'performance' of all completed Trials reported up to
/// the Trial's last measurement. Currently, 'performance' refers to the running average of the objective values
/// reported by the Trial in each measurement"); the rule is the Median Stopping Rule of Golovin et al., "Google
/// Vizier" (KDD 2017), §3.2. Steps are the x-axis (useElapsedDuration false).
/// </remarks>
public sealed class MedianStoppingRule(MetricGoal goal) : EarlyStoppingRule(goal)
{
    /// <inheritdoc />
    public override string Name => "Median";

    private protected override StopDecision? Judge(IReadOnlyList<CurvePoint> running, IReadOnlyList<Oriented> completed)
    {
        var step = running[^1].Step;
        var best = running.Max(p => p.Value);

        // A completed trial whose first report came after this step has nothing to compare yet.
        var averages = completed
            .Select(c => UpTo(c.Points, step).ToList())
            .Where(values => values.Count > 0)
            .Select(values => values.Average())
            .ToList();
        if (averages.Count < MinCompletedTrials)
        {
            return null;
        }

        var median = Median(averages);
        return best < median
            ? new StopDecision(step, string.Create(CultureInfo.InvariantCulture,
                $"its best value so far, {Show(best)}, is worse than {Show(median)}, the median running average of {averages.Count} completed trials up to step {step}"))
            : null;
    }

    /// <summary>The median of <paramref name="values"/> (sorted in place); shared with <see cref="StoppedTrialProjection"/>.</summary>
    internal static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
