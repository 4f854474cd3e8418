// Benchmarks the local tuner's automated stopping rules (VertexEarlyStopping None, Median, DecayCurve) in-process on
// synthetic learning curves: each study runs the Default search one trial at a time; every trial reports its curve
// step by step, and after each report the rule judges it against the completed trials, exactly as the local runner
// does with the reports it reads from the metric file. A condemned trial's last report becomes its final value.
// Usage: EarlyStoppingBenchmark [--seeds N] [--trials T] [--steps S] [--noise SIGMA] [--fast-penalty P]
using System.Diagnostics;
using System.Globalization;
using VertexTraining.Core.Local.Search;
using VertexTraining.Core.Local.Stopping;

var seeds = 25;
var trials = 30;
var steps = 40;
var noise = 0.01;
var fastPenalty = 0.04;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seeds": seeds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--trials": trials = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--noise": noise = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--fast-penalty": fastPenalty = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

var total = Stopwatch.StartNew();
var objective = new LearningCurves(noise, fastPenalty);
string[] rules = ["None", "Median", "DecayCurve"];
var results = new Dictionary<string, StudyResult[]>();
foreach (var rule in rules)
{
    var clock = Stopwatch.StartNew();
    var runs = new StudyResult[seeds];
    Parallel.For(0, seeds, seed => runs[seed] = Study(objective, rule, seed, trials, steps));
    results[rule] = runs;
    Console.Error.WriteLine($"{rule,-10} {seeds} seeds x {trials} trials x {steps} steps in {clock.Elapsed.TotalSeconds:F1} s");
}

var baseline = results["None"];
var baselineSteps = baseline.Sum(r => r.Steps);
var baselineBest = Median([.. baseline.Select(r => r.BestFinal)]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{seeds} seeds, {trials} trials of up to {steps} steps each, Default search one trial at a time, report noise {noise}, fast-learner penalty {fastPenalty}; the objective is maximised (best possible final level {LearningCurves.BestFinal:0.000})."));
Console.WriteLine();
Console.WriteLine("| VertexEarlyStopping | Steps run (all seeds) | Steps saved | Trials stopped early | Median best final (25th-75th) | Change in median best | Median true value of the chosen trial |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var rule in rules)
{
    var runs = results[rule];
    var spent = runs.Sum(r => r.Steps);
    var best = runs.Select(r => r.BestFinal).ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {rule} | {spent} | {1 - ((double)spent / baselineSteps):P1} | {runs.Sum(r => r.Stopped)} of {seeds * trials} | {Median(best):0.0000} ({Quantile(best, 0.25):0.0000}-{Quantile(best, 0.75):0.0000}) | {(Median(best) - baselineBest) / baselineBest:+0.00%;-0.00%;0.00%} | {Median([.. runs.Select(r => r.ChosenTrue)]):0.0000} |"));
}

// Warm start: an earlier study of a shifted objective seeds a new study's search; regret after 5 trials.
const int WarmTrials = 5;
var shift = (X1: 1.0, X2: 1.0);
var cold = new double[seeds];
var warm = new double[seeds];
Parallel.For(0, seeds, seed =>
{
    var earlier = Observe(objective, shift, seed + 10_000, trials, prior: []);
    cold[seed] = LearningCurves.BestFinal - Observe(objective, (0, 0), seed, WarmTrials, prior: []).Max(o => o.Value!.Value);
    warm[seed] = LearningCurves.BestFinal - Observe(objective, (0, 0), seed, WarmTrials, prior: earlier).Max(o => o.Value!.Value);
});
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Warm start: regret (best possible level minus the best level found, noise-free) after {WarmTrials} trials of the Default search, {seeds} seeds; the warm study is seeded with the {trials} trials of an earlier study of the same objective shifted by ({shift.X1}, {shift.X2}) in (x1, x2)."));
Console.WriteLine();
Console.WriteLine("| Start | Median regret after 5 trials (25th-75th) |");
Console.WriteLine("|---|---|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| cold | {Median(cold):0.0000} ({Quantile(cold, 0.25):0.0000}-{Quantile(cold, 0.75):0.0000}) |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| warm | {Median(warm):0.0000} ({Quantile(warm, 0.25):0.0000}-{Quantile(warm, 0.75):0.0000}) |"));

Console.WriteLine();
Console.WriteLine($"Total time {total.Elapsed.TotalSeconds:F0} s on {Environment.ProcessorCount} cores.");
return 0;

// A study of the noise-free final level (shifted in x1, x2), as the search sees it with the prior trials in its model.
static List<Observation> Observe(LearningCurves objective, (double X1, double X2) shift, int seed, int trials, IReadOnlyList<Observation> prior)
{
    var search = SearchAlgorithms.Create(null, LearningCurves.Space(), MetricGoal.Maximize, trials, seed);
    var finished = new List<Observation>();
    while (finished.Count < trials && search.Suggest([.. prior, .. finished], []) is { } parameters)
    {
        finished.Add(new Observation(parameters, objective.Level(parameters, shift)));
    }

    return finished;
}

static StudyResult Study(LearningCurves objective, string ruleName, int seed, int trials, int steps)
{
    var space = LearningCurves.Space();
    var search = SearchAlgorithms.Create(null, space, MetricGoal.Maximize, trials, seed);
    var rule = EarlyStoppingRules.Create(ruleName, MetricGoal.Maximize);
    var noise = new Random(1_000_003 * (seed + 1));
    var finished = new List<Observation>();
    var completed = new List<CompletedCurve>();
    var (spent, stopped) = (0, 0);
    var (bestFinal, chosenTrue) = (double.NegativeInfinity, double.NaN);
    while (finished.Count < trials && search.Suggest(finished, []) is { } parameters)
    {
        var curve = new List<CurvePoint>();
        var stoppedEarly = false;
        for (var step = 1; step <= steps && !stoppedEarly; step++)
        {
            curve.Add(new CurvePoint(step, objective.At(parameters, step, noise)));
            spent++;
            stoppedEarly = step < steps && rule?.Judge(curve, completed) is not null;
        }

        stopped += stoppedEarly ? 1 : 0;
        var final = curve[^1].Value;
        finished.Add(new Observation(parameters, stoppedEarly ? StoppedTrialProjection.ProjectFinal(curve, completed) : final));
        completed.Add(new CompletedCurve(curve, final, stoppedEarly));
        if (final > bestFinal)
        {
            (bestFinal, chosenTrue) = (final, objective.Expected(parameters, steps));
        }
    }

    return new StudyResult(spent, stopped, bestFinal, chosenTrue);
}

static double Median(double[] values) => Quantile(values, 0.5);

static double Quantile(double[] values, double q)
{
    var sorted = values.Order().ToArray();
    var position = q * (sorted.Length - 1);
    var (low, high) = ((int)Math.Floor(position), (int)Math.Ceiling(position));
    return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
}

/// <summary>What one study spent and found.</summary>
/// <param name="Steps">Steps run over all its trials.</param>
/// <param name="Stopped">Trials stopped early.</param>
/// <param name="BestFinal">The best final measurement (what the study reports as its best trial).</param>
/// <param name="ChosenTrue">That trial's noise-free value at the last step, had it run every step.</param>
internal sealed record StudyResult(int Steps, int Stopped, double BestFinal, double ChosenTrue);
