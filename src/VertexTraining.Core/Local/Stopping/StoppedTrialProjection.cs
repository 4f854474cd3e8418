namespace VertexTraining.Core.Local.Stopping;

/// <summary>
/// What the search learns from a trial stopped early: its last value plus the median gain that the trials which ran to
/// their end still made after the same step. The trial's own final measurement stays its last report, as on Vertex AI.
/// </summary>
/// <remarks>
/// Told the bare last value, the search takes a stopped trial's truncated curve for that region's result and steers
/// away from regions whose trials only learn slowly. In build/benchmark-early-stopping.sh that cost the median rule
/// more than half of what it gained; see docs/tuning.md.
/// </remarks>
public static class StoppedTrialProjection
{
    /// <summary>The projected final value of <paramref name="stopped"/>; its last value when nothing ran longer.</summary>
    public static double ProjectFinal(IReadOnlyList<CurvePoint> stopped, IReadOnlyList<CompletedCurve> completed)
    {
        var reports = stopped.Where(p => p.Step > 0).ToList();
        if (reports.Count == 0)
        {
            return double.NaN;
        }

        var last = reports.MaxBy(p => p.Step);
        var gains = completed
            .Where(c => !c.StoppedEarly)
            .Select(c => (Reached: c.Points.Where(p => p.Step > 0 && p.Step <= last.Step).MaxBy(p => p.Step), c))
            .Where(g => g.Reached.Step > 0 && g.c.Points.Any(p => p.Step > last.Step))
            .Select(g => g.c.Final - g.Reached.Value)
            .ToList();
        return gains.Count == 0 ? last.Value : last.Value + MedianStoppingRule.Median(gains);
    }
}
