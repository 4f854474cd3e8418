using System.Globalization;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Core.Local.Stopping;

/// <summary>
/// Vertex AI's decay curve automated stopping rule (StudySpec.DecayCurveAutomatedStoppingSpec): a Gaussian process
/// regressor, trained on the completed trials, predicts a running trial's final value from its curve's shape at its
/// last step; the trial stops when the chance that it beats the best final value so far is very low.
/// </summary>
/// <remarks>
/// Reference: Google Cloud, Vertex AI v1 API, <c>StudySpec.DecayCurveAutomatedStoppingSpec</c> ("builds a Gaussian
/// Process Regressor to predict the final objective value of a Trial based on the already completed Trials and the
/// intermediate measurements of the current Trial. Early stopping is requested for the current Trial if there is very
/// low probability to exceed the optimal value found so far"). Vertex does not publish the model's inputs or its
/// threshold: here the inputs are the curve's level at the step (the mean of its last <see cref="Smoothing"/> reports,
/// as one noisy report says little) and its rise since half that step, the targets are the final values of the trials
/// that ran to their end, and "very low" is below <see cref="Threshold"/>.
/// </remarks>
public sealed class DecayCurveStoppingRule(MetricGoal goal) : EarlyStoppingRule(goal)
{
    /// <summary>A trial stops when its chance of beating the best final value so far is below this.</summary>
    public const double Threshold = 0.01;

    /// <summary>How many of a curve's last reports up to the step are averaged into the model's input.</summary>
    public const int Smoothing = 3;

    /// <inheritdoc />
    public override string Name => "DecayCurve";

    private protected override StopDecision? Judge(IReadOnlyList<CurvePoint> running, IReadOnlyList<Oriented> completed)
    {
        var step = running[^1].Step;
        var current = Shape(running, step)!;
        // Only trials that ran to their end show where a curve of this shape ends.
        var known = completed
            .Where(c => !c.StoppedEarly)
            .Select(c => (Shape: Shape(c.Points, step), c.Final))
            .Where(c => c.Shape is not null)
            .Select(c => (Shape: c.Shape!, c.Final))
            .ToList();
        if (known.Count < MinCompletedTrials)
        {
            return null;
        }

        var finalMean = known.Average(k => k.Final);
        var finalSpread = Math.Sqrt(known.Average(k => (k.Final - finalMean) * (k.Final - finalMean)));
        if (finalSpread < 1e-12)
        {
            // Every trial ended at the same value: nothing to tell curves apart by.
            return null;
        }

        // Each feature scaled to [0, 1] over the curves compared (a feature that does not vary sits at 0.5).
        var all = known.Select(k => k.Shape).Append(current).ToList();
        var (low, high) = (new double[2], new double[2]);
        for (var f = 0; f < 2; f++)
        {
            (low[f], high[f]) = (all.Min(a => a[f]), all.Max(a => a[f]));
        }

        double[] Scale(double[] shape) => [.. shape.Select((v, f) => high[f] - low[f] < 1e-12 ? 0.5 : (v - low[f]) / (high[f] - low[f]))];
        var model = GaussianProcess.Fit(
            [.. known.Select(k => Scale(k.Shape))],
            [.. known.Select(k => (k.Final - finalMean) / finalSpread)],
            warmStart: null);
        // The trial's final value is an observation: its noise counts, besides the model's uncertainty.
        var (mean, latentStdDev) = model.Predict(Scale(current));
        var stdDev = Math.Sqrt((latentStdDev * latentStdDev) + model.NoiseVariance);
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

    // Where a curve stands at the step, and how fast it still rises: its level there, and the level there minus its
    // level at half the step (a slow learner that is low but climbing ends differently from one that has flattened).
    private static double[]? Shape(IReadOnlyList<CurvePoint> curve, long step)
    {
        if (Level(curve, step) is not { } level)
        {
            return null;
        }

        return [level, level - (Level(curve, step / 2) ?? level)];
    }

    // The mean of the last few reports at or before the step; null when the curve has none there yet.
    private static double? Level(IReadOnlyList<CurvePoint> curve, long step)
    {
        var values = UpTo(curve, step).TakeLast(Smoothing).ToList();
        return values.Count == 0 ? null : values.Average();
    }
}
