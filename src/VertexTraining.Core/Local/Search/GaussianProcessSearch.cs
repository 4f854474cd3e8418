namespace VertexTraining.Core.Local.Search;

/// <summary>
/// The default algorithm (ALGORITHM_UNSPECIFIED): Bayesian optimisation. A space-filling initial design (Latin
/// hypercube) is followed by trials that maximise the expected improvement under a Gaussian process fitted to the
/// finished trials. Trials still running are accounted for by conditioning on their predicted values ("kriging
/// believer"), so parallel trials spread out instead of piling onto one point. Failed and metric-less trials count
/// as the worst value seen, steering the search away from where they ran.
/// </summary>
public sealed class GaussianProcessSearch : ISearchAlgorithm
{
    // How much (in standard deviations of the metric) a candidate must beat the best trial by to count as an
    // improvement. 0 measured best in build/benchmark-search.sh (0.01 explored more and converged later); the
    // fitted noise variance already keeps the search from re-testing the incumbent.
    private const double ImprovementMargin = 0.0;
    private const int TopObservations = 5;

    private readonly SearchSpace _space;
    private readonly MetricGoal _goal;
    private readonly Random _random;
    private readonly SpaceEncoder _encoder;
    private readonly List<ParameterAssignment> _initialDesign;
    private int _suggested;
    private double[]? _warmStart;

    /// <param name="space">The parameters.</param>
    /// <param name="goal">Whether the metric is maximised or minimised.</param>
    /// <param name="maxTrialCount">The trial budget: the initial design takes at most a third of it.</param>
    /// <param name="seed">Seeds every random choice.</param>
    public GaussianProcessSearch(SearchSpace space, MetricGoal goal, int maxTrialCount, int seed)
    {
        _space = space;
        _goal = goal;
        _random = new Random(seed);
        _encoder = new SpaceEncoder(space);
        var parameters = space.Parameters.Count;
        // A small design leaves more of the budget to the model: d/2 + 2 points beat d + 1 on Hartmann-6 at 15
        // and 30 trials in build/benchmark-search.sh, and equal it on Branin.
        InitialDesignSize = Math.Min(Math.Max((parameters / 2) + 2, 3), Math.Max(2, maxTrialCount / 3));
        _initialDesign = LatinHypercube(InitialDesignSize);
    }

    /// <inheritdoc />
    public string Name => "ALGORITHM_UNSPECIFIED";

    /// <summary>How many trials come from the initial design before the model takes over.</summary>
    public int InitialDesignSize { get; }

    /// <inheritdoc />
    public ParameterAssignment? Suggest(IReadOnlyList<Observation> finished, IReadOnlyList<ParameterAssignment> running)
    {
        if (_suggested == 0)
        {
            // A continued study's known trials already explored: they take the initial design's first places.
            _suggested = finished.Count + running.Count;
        }

        var index = _suggested++;
        var feasible = finished.Count(o => o.Value is { } v && double.IsFinite(v));
        if (index < _initialDesign.Count)
        {
            return _initialDesign[index];
        }

        if (feasible < 2)
        {
            // Nothing to model yet (the first trials failed or are still running): keep exploring.
            return FreshSample([.. finished.Select(o => o.Parameters), .. running]);
        }

        try
        {
            return ModelBasedSuggestion(finished, running);
        }
        catch (InvalidOperationException)
        {
            // The covariance could not be factorised even with extra jitter (e.g. many identical trials with
            // different results): a random trial keeps the study going and adds information.
            return FreshSample([.. finished.Select(o => o.Parameters), .. running]);
        }
    }

    private ParameterAssignment ModelBasedSuggestion(IReadOnlyList<Observation> finished, IReadOnlyList<ParameterAssignment> running)
    {
        // Minimise internally; failed trials get the worst feasible value.
        var losses = finished.Select(o => o.Value is { } v && double.IsFinite(v) ? (_goal == MetricGoal.Maximize ? -v : v) : (double?)null).ToList();
        var worst = losses.Where(l => l.HasValue).Max()!.Value;
        var raw = losses.Select(l => l ?? worst).ToArray();
        var mean = raw.Average();
        var spread = Math.Sqrt(raw.Select(v => (v - mean) * (v - mean)).Sum() / raw.Length);
        if (spread < 1e-12)
        {
            spread = 1;
        }

        var y = raw.Select(v => (v - mean) / spread).ToArray();
        var x = finished.Select(o => _encoder.Encode(o.Parameters)).ToArray();
        var model = GaussianProcess.Fit(x, y, _warmStart);
        _warmStart = model.Hyperparameters;

        var incumbent = y.Where((_, i) => losses[i].HasValue).Min();
        if (running.Count > 0)
        {
            var pending = running.Select(_encoder.Encode).ToArray();
            model = model.WithPoints(pending, [.. pending.Select(p => model.Predict(p).Mean)]);
        }

        var seen = new HashSet<string>([.. finished.Select(o => o.Parameters.ToString()), .. running.Select(r => r.ToString())], StringComparer.Ordinal);
        var best = finished
            .Select((o, i) => (o.Parameters, Loss: y[i]))
            .Where((_, i) => losses[i].HasValue)
            .OrderBy(t => t.Loss)
            .Take(TopObservations)
            .Select(t => t.Parameters)
            .ToList();

        var scored = Candidates(best)
            .Where(c => !seen.Contains(c.ToString()))
            .Select(c => Score(model, c, incumbent))
            .OrderByDescending(s => s.ExpectedImprovement)
            .ThenBy(s => s.Bound)
            .Take(3)
            .ToList();
        if (scored.Count == 0)
        {
            return FreshSample([.. seen.Count > 0 ? finished.Select(o => o.Parameters).Concat(running) : []]);
        }

        // Polish the most promising candidates locally.
        var winner = scored[0];
        foreach (var start in scored)
        {
            var current = start;
            for (var sigma = 0.05; sigma > 0.005; sigma /= 2)
            {
                for (var i = 0; i < 30; i++)
                {
                    var candidate = Perturb(current.Assignment, sigma);
                    if (seen.Contains(candidate.ToString()))
                    {
                        continue;
                    }

                    var score = Score(model, candidate, incumbent);
                    if (score.ExpectedImprovement > current.ExpectedImprovement
                        || (score.ExpectedImprovement == current.ExpectedImprovement && score.Bound < current.Bound))
                    {
                        current = score;
                    }
                }
            }

            if (current.ExpectedImprovement > winner.ExpectedImprovement
                || (current.ExpectedImprovement == winner.ExpectedImprovement && current.Bound < winner.Bound))
            {
                winner = current;
            }
        }

        return winner.Assignment;
    }

    private IEnumerable<ParameterAssignment> Candidates(IReadOnlyList<ParameterAssignment> best)
    {
        var randomCount = Math.Min(3000, 500 + (100 * _encoder.Dimensions));
        for (var i = 0; i < randomCount; i++)
        {
            yield return _space.Sample(_random);
        }

        foreach (var origin in best)
        {
            foreach (var sigma in new[] { 0.2, 0.05, 0.01 })
            {
                for (var i = 0; i < 40; i++)
                {
                    yield return Perturb(origin, sigma);
                }
            }
        }
    }

    private Scored Score(GaussianProcess model, ParameterAssignment assignment, double incumbent)
    {
        var (mean, sd) = model.Predict(_encoder.Encode(assignment));
        var improvement = incumbent - mean - ImprovementMargin;
        var z = improvement / sd;
        var expected = (improvement * NormalDistribution.Cdf(z)) + (sd * NormalDistribution.Pdf(z));
        // When every EI underflows to 0, the lower confidence bound still ranks candidates sensibly.
        return new Scored(assignment, Math.Max(expected, 0), mean - (2 * sd));
    }

    private ParameterAssignment Perturb(ParameterAssignment origin, double sigma)
    {
        var chosen = new List<KeyValuePair<string, ParameterValue>>();
        foreach (var parameter in _space.Parameters)
        {
            if (!parameter.IsActiveIn(chosen))
            {
                continue;
            }

            ParameterValue value;
            if (!origin.TryGet(parameter.Id, out var current))
            {
                value = parameter.Sample(_random);
            }
            else if (parameter.IsNumeric)
            {
                value = ParameterValue.Of(parameter.FromUnit(Reflect(parameter.ToUnit(current.Number) + (sigma * Gaussian()))));
            }
            else
            {
                value = _random.NextDouble() < Math.Min(0.5, 2 * sigma) ? parameter.Sample(_random) : current;
            }

            chosen.Add(new(parameter.Id, value));
        }

        return new ParameterAssignment(chosen);
    }

    private ParameterAssignment FreshSample(IReadOnlyList<ParameterAssignment> seen)
    {
        var keys = new HashSet<string>(seen.Select(s => s.ToString()), StringComparer.Ordinal);
        var draw = _space.Sample(_random);
        for (var i = 0; i < 50 && keys.Contains(draw.ToString()); i++)
        {
            draw = _space.Sample(_random);
        }

        return draw;
    }

    // Stratified in every parameter: each of the n trials takes a different n-th of each range.
    private List<ParameterAssignment> LatinHypercube(int n)
    {
        var columns = _space.Parameters
            .Select(_ => Enumerable.Range(0, n).OrderBy(_ => _random.Next()).Select(stratum => (stratum + _random.NextDouble()) / n).ToArray())
            .ToArray();
        var design = new List<ParameterAssignment>(n);
        for (var row = 0; row < n; row++)
        {
            var chosen = new List<KeyValuePair<string, ParameterValue>>();
            for (var p = 0; p < _space.Parameters.Count; p++)
            {
                var parameter = _space.Parameters[p];
                if (!parameter.IsActiveIn(chosen))
                {
                    continue;
                }

                var unit = columns[p][row];
                var value = parameter.IsNumeric
                    ? ParameterValue.Of(parameter.FromUnit(unit))
                    : ParameterValue.Of(parameter.Categories[Math.Min(parameter.Categories.Count - 1, (int)(unit * parameter.Categories.Count))]);
                chosen.Add(new(parameter.Id, value));
            }

            design.Add(new ParameterAssignment(chosen));
        }

        return design;
    }

    private double Gaussian()
    {
        // Box-Muller.
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Reflect(double unit)
    {
        unit = Math.Abs(unit) % 2;
        return unit > 1 ? 2 - unit : unit;
    }

    private readonly record struct Scored(ParameterAssignment Assignment, double ExpectedImprovement, double Bound);
}
