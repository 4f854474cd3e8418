// Benchmarks the local tuner's search algorithms (Grid, Random, Default) in-process: each algorithm minimises
// Branin and Hartmann-6 over many seeds, one trial at a time, and the median best regret (best value found minus
// the known minimum) is printed after each budget.
// Usage: SearchBenchmark [--seeds N] [--budgets 15,30] [--parallel K] [--grid-points P] [--algorithms Grid,Random,Default]
using System.Diagnostics;
using System.Globalization;
using SearchBenchmark;
using VertexTraining.Core.Local.Search;

var seeds = 30;
int[] budgets = [15, 30];
var parallel = 1;
var gridPoints = 5;
string[] algorithms = ["Grid", "Random", "Default"];
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seeds": seeds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--budgets": budgets = [.. args[++i].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))]; break;
        case "--parallel": parallel = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--grid-points": gridPoints = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--algorithms": algorithms = args[++i].Split(','); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

var maxBudget = budgets.Max();
var rows = new List<string>();
var total = Stopwatch.StartNew();
foreach (var function in new[] { TestFunction.Branin, TestFunction.Hartmann6 })
{
    var regrets = new Dictionary<string, double[][]>();
    foreach (var algorithm in algorithms)
    {
        var clock = Stopwatch.StartNew();
        var runs = new double[seeds][];
        Parallel.For(0, seeds, seed => runs[seed] = Run(function, algorithm, seed, maxBudget, parallel, gridPoints));
        regrets[algorithm] = runs;
        Console.Error.WriteLine($"{function.Name,-11} {algorithm,-8} {seeds} seeds x {maxBudget} trials in {clock.Elapsed.TotalSeconds:F1} s");
    }

    foreach (var budget in budgets)
    {
        var cells = algorithms.Select(a => Summary([.. regrets[a].Select(r => r[budget - 1])]));
        rows.Add($"| {function.Name} | {budget} | {string.Join(" | ", cells)} |");
    }
}

Console.WriteLine($"Median best regret over {seeds} seeds (25th-75th percentile), {(parallel == 1 ? "one trial at a time" : $"{parallel} trials in parallel")}; lower is better. Grid: {gridPoints} values per parameter.");
Console.WriteLine();
Console.WriteLine($"| Function | Trials | {string.Join(" | ", algorithms)} |");
Console.WriteLine($"|---|---|{string.Concat(algorithms.Select(_ => "---|"))}");
rows.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine($"Total time {total.Elapsed.TotalSeconds:F0} s on {Environment.ProcessorCount} cores.");
return 0;

// Best regret after each trial of one run. With parallel > 1, trials are proposed in batches and each batch's
// results arrive together, as when `parallel` trials run at once.
static double[] Run(TestFunction function, string algorithmName, int seed, int budget, int parallel, int gridPoints)
{
    var space = algorithmName == "Grid" ? function.GridSpace(gridPoints) : function.ContinuousSpace();
    var algorithm = SearchAlgorithms.Create(
        algorithmName switch { "Grid" => "GRID_SEARCH", "Random" => "RANDOM_SEARCH", _ => null },
        space, MetricGoal.Minimize, budget, seed);
    var finished = new List<Observation>();
    var best = double.PositiveInfinity;
    var regret = new double[budget];
    while (finished.Count < budget)
    {
        var batch = new List<ParameterAssignment>();
        while (batch.Count < parallel && finished.Count + batch.Count < budget && algorithm.Suggest(finished, batch) is { } next)
        {
            batch.Add(next);
        }

        if (batch.Count == 0)
        {
            break; // an exhausted grid
        }

        foreach (var assignment in batch)
        {
            var value = function.At(assignment);
            best = Math.Min(best, value);
            finished.Add(new Observation(assignment, value));
            regret[finished.Count - 1] = best - function.Minimum;
        }
    }

    for (var i = finished.Count; i < budget; i++)
    {
        regret[i] = regret[Math.Max(0, finished.Count - 1)];
    }

    return regret;
}

static string Summary(double[] values)
{
    var sorted = values.Order().ToArray();
    double Quantile(double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    return string.Create(CultureInfo.InvariantCulture, $"{Format(Quantile(0.5))} ({Format(Quantile(0.25))}-{Format(Quantile(0.75))})");
}

static string Format(double value) => value.ToString(value < 0.01 ? "0.0e0" : "0.000", CultureInfo.InvariantCulture);
