using VertexTraining.Core.Local.Search;
using VertexTraining.Core.Local.Stopping;

namespace VertexTraining.Local.Tests;

/// <summary>The automated stopping rules on recorded curves (steps 1, 2, 3, ...).</summary>
public sealed class EarlyStoppingRuleTests
{
    // Running averages up to step 3: A 0.6, B 0.4, C 0.8 (median 0.6); up to step 2: A 0.55, B 0.35, C 0.75.
    private static readonly CompletedCurve A = Completed(0.5, 0.6, 0.7, 0.75, 0.8);
    private static readonly CompletedCurve B = Completed(0.3, 0.4, 0.5, 0.55, 0.6);
    private static readonly CompletedCurve C = Completed(0.7, 0.8, 0.9, 0.9, 0.92);

    [Fact]
    public void Median_stops_a_trial_whose_best_is_below_the_median_running_average_at_its_last_step()
    {
        var rule = new MedianStoppingRule(MetricGoal.Maximize);

        var decision = rule.Judge(Curve(0.4, 0.5, 0.55), [A, B, C]);

        Assert.NotNull(decision);
        Assert.Equal(3, decision.Step);
        Assert.Equal("its best value so far, 0.55, is worse than 0.6, the median running average of 3 completed trials up to step 3", decision.Reason);
        // At step 2 its best (0.5) is below the median of 0.55, 0.35, 0.75 too; at step 1 (0.4 vs median 0.5) as well.
        Assert.Equal(2, rule.Judge(Curve(0.4, 0.5), [A, B, C])!.Step);
    }

    [Fact]
    public void Median_lets_a_tie_with_the_median_run_on_as_the_rule_is_strictly_below()
    {
        var rule = new MedianStoppingRule(MetricGoal.Maximize);

        Assert.Null(rule.Judge(Curve(0.4, 0.5, 0.6), [A, B, C]));
        Assert.Null(rule.Judge(Curve(0.55, 0.55), [A, B, C]));
        Assert.NotNull(rule.Judge(Curve(0.5, 0.5499), [A, B, C]));
    }

    [Fact]
    public void Median_judges_by_the_trials_best_value_not_its_last()
    {
        var rule = new MedianStoppingRule(MetricGoal.Maximize);

        // It fell to 0.2 at step 3, but its best (0.7 at step 1) beats the median running average (0.6).
        Assert.Null(rule.Judge(Curve(0.7, 0.3, 0.2), [A, B, C]));
    }

    [Fact]
    public void Median_with_a_minimize_goal_stops_the_trial_whose_best_is_higher_than_the_median()
    {
        var rule = new MedianStoppingRule(MetricGoal.Minimize);
        CompletedCurve[] losses = [Negated(A), Negated(B), Negated(C)];

        var decision = rule.Judge(Curve(-0.4, -0.5, -0.55), losses);

        Assert.NotNull(decision);
        Assert.Equal("its best value so far, -0.55, is worse than -0.6, the median running average of 3 completed trials up to step 3", decision.Reason);
        Assert.Null(rule.Judge(Curve(-0.4, -0.5, -0.6), losses));
        Assert.Null(rule.Judge(Curve(-0.4, -0.5, -0.65), losses));
    }

    [Fact]
    public void Trials_without_intermediate_reports_are_neither_judged_nor_compared_with()
    {
        var rule = new MedianStoppingRule(MetricGoal.Maximize);
        // HyperTune.Report without a step writes global_step 0: a final value only.
        var finalOnly = new CompletedCurve([new CurvePoint(0, 0.99)], 0.99);

        Assert.Null(rule.Judge([], [A, B, C]));
        Assert.Null(rule.Judge([new CurvePoint(0, 0.01)], [A, B, C]));
        // Two completed curves and one without reports: too few to compare with.
        Assert.Null(rule.Judge(Curve(0.01, 0.01, 0.01), [A, B, finalOnly]));
        // A completed trial whose reports start later does not count at earlier steps either.
        var late = new CompletedCurve([new CurvePoint(10, 0.9)], 0.9);
        Assert.Null(rule.Judge(Curve(0.01, 0.01, 0.01), [A, B, late]));
        Assert.NotNull(rule.Judge(Curve(0.01, 0.01, 0.01), [A, B, C, late]));
    }

    [Fact]
    public void A_step_reported_twice_keeps_its_last_value()
    {
        var rule = new MedianStoppingRule(MetricGoal.Maximize);

        // A trainer resumed from a checkpoint reports step 3 again: the value it reports now replaces the earlier one.
        CurvePoint[] resumed = [new(1, 0.4), new(2, 0.5), new(3, 0.7), new(3, 0.5)];

        Assert.Null(rule.Judge([.. resumed.Take(3)], [A, B, C]));
        Assert.Equal(3, rule.Judge(resumed, [A, B, C])!.Step);
    }

    [Fact]
    public void Decay_curve_stops_a_trial_whose_predicted_final_value_has_little_chance_to_beat_the_best()
    {
        var rule = new DecayCurveStoppingRule(MetricGoal.Maximize);
        CompletedCurve[] completed = [.. new[] { 0.2, 0.4, 0.5, 0.6, 0.8, 0.9 }.Select(f => Saturating(f, steps: 10))];

        var poor = rule.Judge(Saturating(0.1, steps: 4).Points, completed);
        var promising = rule.Judge(Saturating(0.95, steps: 4).Points, completed);
        // On the best trial's curve so far: even odds of beating it.
        var asGoodAsBest = rule.Judge(Saturating(0.9, steps: 4).Points, completed);
        // Just below the best curve: these noise-free curves leave it no chance, the rule knows from its level.
        var justBelow = rule.Judge(Saturating(0.88, steps: 4).Points, completed);

        Assert.NotNull(poor);
        Assert.Equal(4, poor.Step);
        // The best final value so far is trial 0.9's: 0.9 * (1 - e^(-10/3)).
        Assert.Matches(@"^from 6 completed trials' curves at step 4, its final value is predicted at \S+ ± \S+, with a \d+(\.\d)?% chance of beating the best so far, 0\.8678\d*$", poor.Reason);
        Assert.Null(promising);
        Assert.Null(asGoodAsBest);
        Assert.NotNull(justBelow);
    }

    [Fact]
    public void Decay_curve_with_a_minimize_goal_mirrors_the_maximize_verdicts()
    {
        var rule = new DecayCurveStoppingRule(MetricGoal.Minimize);
        CompletedCurve[] completed = [.. new[] { 0.2, 0.4, 0.5, 0.6, 0.8, 0.9 }.Select(f => Negated(Saturating(f, steps: 10)))];

        Assert.NotNull(rule.Judge(Negated(Saturating(0.1, steps: 4)).Points, completed));
        Assert.Null(rule.Judge(Negated(Saturating(0.95, steps: 4)).Points, completed));
    }

    [Fact]
    public void Decay_curve_needs_three_completed_curves_and_levels_that_differ()
    {
        var rule = new DecayCurveStoppingRule(MetricGoal.Maximize);
        var poor = Saturating(0.1, steps: 4).Points;

        Assert.Null(rule.Judge(poor, [Saturating(0.8, 10), Saturating(0.9, 10)]));
        Assert.Null(rule.Judge([], [Saturating(0.5, 10), Saturating(0.8, 10), Saturating(0.9, 10)]));
        // Every curve at the same level and every final the same: nothing to predict from.
        CompletedCurve[] flat = [Completed(0.5, 0.5, 0.5), Completed(0.5, 0.5, 0.5), Completed(0.5, 0.5, 0.5)];
        Assert.Null(rule.Judge(Curve(0.5, 0.5), flat));
    }

    [Fact]
    public void The_search_learns_a_stopped_trials_last_value_plus_the_median_gain_full_trials_made_after_that_step()
    {
        // Gains after step 2 of the trials that ran to their end: A 0.8 - 0.6, B 0.6 - 0.4, C 0.92 - 0.8; a stopped
        // trial's curve is no evidence of what comes after.
        var stopped = new CompletedCurve(Curve(0.1, 0.15, 0.2), 0.2, StoppedEarly: true);

        Assert.Equal(0.3 + 0.2, StoppedTrialProjection.ProjectFinal(Curve(0.2, 0.3), [A, B, C, stopped]), 12);
        // Minimize: losses fall, so the gains are negative.
        Assert.Equal(-0.3 - 0.2, StoppedTrialProjection.ProjectFinal(Curve(-0.2, -0.3), [Negated(A), Negated(B), Negated(C)]), 12);
        // Nothing ran past its step: its last value.
        Assert.Equal(0.3, StoppedTrialProjection.ProjectFinal(Curve(0.1, 0.2, 0.25, 0.27, 0.28, 0.3), [A, B, C]), 12);
        Assert.True(double.IsNaN(StoppedTrialProjection.ProjectFinal([], [A, B, C])));
    }

    [Fact]
    public void Rules_are_named_as_VertexEarlyStopping_names_them()
    {
        Assert.Equal(["None", "Median", "DecayCurve"], EarlyStoppingRules.Names);
        Assert.Null(EarlyStoppingRules.Create("None", MetricGoal.Maximize));
        Assert.Equal("Median", EarlyStoppingRules.Create("Median", MetricGoal.Maximize)!.Name);
        Assert.Equal("DecayCurve", EarlyStoppingRules.Create("DecayCurve", MetricGoal.Minimize)!.Name);
    }

    private static CurvePoint[] Curve(params double[] values) => [.. values.Select((v, i) => new CurvePoint(i + 1, v))];

    private static CompletedCurve Completed(params double[] values) => new(Curve(values), values[^1]);

    private static CompletedCurve Negated(CompletedCurve curve) =>
        new([.. curve.Points.Select(p => p with { Value = -p.Value })], -curve.Final);

    // A learning curve that rises towards its final level f: f * (1 - e^(-step/3)).
    private static CompletedCurve Saturating(double f, int steps)
    {
        var points = Enumerable.Range(1, steps).Select(s => new CurvePoint(s, f * (1 - Math.Exp(-s / 3.0)))).ToArray();
        return new CompletedCurve(points, points[^1].Value);
    }
}
