using System.Globalization;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Core.Local.Stopping;

/// <summary>
/// Vertex AI's decay curve automated stopping rule (StudySpec.DecayCurveAutomatedStoppingSpec): a Gaussian process
/// regressor, trained on the completed trials, predicts a running trial's final value from where its curve stands at
/// its last step; the trial stops when the chance that it beats the best final value so far is very low.
/// </summary>
/// <remarks>
/// Reference: Google Cloud, Vertex AI v1 API, <c>StudySpec.DecayCurveAutomatedStoppingSpec</c> ("builds a Gaussian
/// Process Regressor to predict the final objective value of a Trial based on the already completed Trials and the
/// intermediate measurements of the current Trial. Early stopping is requested for the current Trial if there is very
/// low probability to exceed the optimal value found so far"). Vertex does not publish the model's inputs or its
/// threshold: here the input is the mean of a curve's last <see cref="Smoothing"/> reports up to the step (one noisy
/// report says little), and "very low" is below <see cref="Threshold"/>.
/// </remarks>
public sealed class DecayCurveStoppingRule(MetricGoal goal) : EarlyStoppingRule(goal)
{
    /// <summary>A trial stops when its chance of beating the best final value so far is below this.</summary>
    public const double Threshold = 0.05;

    /// <summary>How many of a curve's last reports up to the step are averaged into the model's input.</summary>
    public const int Smoothing = 3;

    /// <inheritdoc />
    public override string Name => "DecayCurve";

    private protected override StopDecision? Judge(IReadOnlyList<CurvePoint> running, IReadOnlyList<Oriented> completed)
    {
        var step = running[^1].Step;
        var current = Level(running, step)!.Value;
        var known = completed
            .Select(c => (Level: Level(c.Points, step), c.Final))
            .Where(c => c.Level is not null)
            .Select(c => (Level: c.Level!.Value, c.Final))
            .ToList();
        if (known.Count < MinCompletedTrials)
        {
            return null;
        }

        var (low, high) = (Math.Min(current, known.Min(k => k.Level)), Math.Max(current, known.Max(k => k.Level)));
        var finalMean = known.Average(k => k.Final);
        var finalSpread = Math.Sqrt(known.Average(k => (k.Final - finalMean) * (k.Final - finalMean)));
        if (high - low < 1e-12 || finalSpread < 1e-12)
        {
            // Every curve stands at the same level, or every trial ended at the same value: nothing to tell them apart.
            return null;
        }

        double Scale(double level) => (level - low) / (high - low);
        var model = GaussianProcess.Fit(
            [.. known.Select(k => new[] { Scale(k.Level) })],
            [.. known.Select(k => (k.Final - finalMean) / finalSpread)],
            warmStart: null);
        var (mean, stdDev) = model.Predict([Scale(current)]);
        // The best so far counts every completed trial, also those whose curves start after this step.
        var best = completed.Max(c => c.Final);
        var chance = 1 - NormalDistribution.Cdf(((best - finalMean) / finalSpread - mean) / stdDev);
        if (chance >= Threshold)
        {
            return null;
        }

        var predicted = (mean * finalSpread) + finalMean;
        return new StopDecision(step, string.Create(CultureInfo.InvariantCulture,
            $"from {known.Count} completed trials' curves at step {step}, its final value is predicted at {Show(predicted)} ± {stdDev * finalSpread:G3}, with a {chance * 100:0.#}% chance of beating the best so far, {Show(best)}"));
    }

    // The mean of the last few reports at or before the step; null when the curve has none there yet.
    private static double? Level(IReadOnlyList<CurvePoint> curve, long step)
    {
        var values = UpTo(curve, step).TakeLast(Smoothing).ToList();
        return values.Count == 0 ? null : values.Average();
    }
}
