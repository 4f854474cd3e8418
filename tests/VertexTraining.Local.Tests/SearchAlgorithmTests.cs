using VertexTraining.Core.Api;
using VertexTraining.Core.Local;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Local.Tests;

public sealed class SearchAlgorithmTests
{
    [Fact]
    public void Grid_search_lists_every_combination_last_parameter_fastest_then_ends()
    {
        var grid = new GridSearch(SearchSpace.Of(SearchSpace.Categorical("opt", ["sgd", "adam"]), SearchSpace.Integer("layers", 1, 3)));

        var suggested = Drain(grid, 100);

        Assert.Equal(6, grid.Count());
        Assert.Equal(
            ["opt=sgd, layers=1", "opt=sgd, layers=2", "opt=sgd, layers=3", "opt=adam, layers=1", "opt=adam, layers=2", "opt=adam, layers=3"],
            suggested.Select(s => s.ToString()));
        Assert.Null(grid.Suggest([], []));
    }

    [Fact]
    public void Grid_search_varies_a_conditional_parameter_only_where_its_parent_activates_it()
    {
        var optimizer = JobDocs.Categorical("opt", "sgd", "adam");
        optimizer.ConditionalParameterSpecs =
        [
            new ConditionalParameterSpec
            {
                ParameterSpec = JobDocs.Discrete("momentum", 0.9, 0.99),
                ParentCategoricalValues = new CategoricalValueCondition { Values = ["sgd"] },
            },
        ];

        var suggested = Drain(new GridSearch(SearchSpace.FromStudy([optimizer])), 100);

        Assert.Equal(["opt=sgd, momentum=0.9", "opt=sgd, momentum=0.99", "opt=adam"], suggested.Select(s => s.ToString()));
    }

    [Fact]
    public void Grid_search_refuses_a_double_parameter()
    {
        var error = Assert.Throws<LocalRunException>(() => new GridSearch(SearchSpace.Of(SearchSpace.Double("lr", 0, 1))));

        Assert.Equal("VTX1081", error.Code);
    }

    [Fact]
    public void Random_search_stays_in_bounds_and_avoids_repeats_in_a_small_finite_space()
    {
        var space = SearchSpace.Of(SearchSpace.Integer("a", 1, 3), SearchSpace.Categorical("b", ["x", "y"]));
        var random = new RandomSearch(space, seed: 5);

        var suggested = Drain(random, 6);

        Assert.Equal(6, suggested.Select(s => s.ToString()).Distinct().Count());
        Assert.All(suggested, s => Assert.InRange(s.Values[0].Value.Number, 1, 3));
    }

    [Fact]
    public void Default_search_handles_every_parameter_type_scale_and_condition_and_proposes_only_valid_values()
    {
        var optimizer = JobDocs.Categorical("optimizer", "sgd", "adam", "rmsprop");
        optimizer.ConditionalParameterSpecs =
        [
            new ConditionalParameterSpec
            {
                ParameterSpec = JobDocs.Double("momentum", 0.5, 0.999, "UNIT_REVERSE_LOG_SCALE"),
                ParentCategoricalValues = new CategoricalValueCondition { Values = ["sgd", "rmsprop"] },
            },
        ];
        var space = SearchSpace.FromStudy(
        [
            JobDocs.Double("lr", 1e-5, 1e-1, "UNIT_LOG_SCALE"),
            JobDocs.Integer("layers", 1, 8),
            JobDocs.Discrete("batch", 16, 32, 64, 128),
            optimizer,
        ]);
        var search = SearchAlgorithms.Create(null, space, MetricGoal.Maximize, maxTrialCount: 20, seed: 11);
        Assert.IsType<GaussianProcessSearch>(search);

        // A made-up objective with an optimum the model can find: lr near 1e-3, 4 layers, adam.
        double Objective(ParameterAssignment a)
        {
            a.TryGet("lr", out var lr);
            a.TryGet("layers", out var layers);
            a.TryGet("optimizer", out var opt);
            return -Math.Pow(Math.Log10(lr.Number) + 3, 2) - (0.1 * Math.Pow(layers.Number - 4, 2)) + (opt.Category == "adam" ? 1 : 0);
        }

        var finished = new List<Observation>();
        for (var i = 0; i < 20; i++)
        {
            var next = search.Suggest(finished, [])!;
            Assert.True(next.TryGet("lr", out var lr) && lr.Number is >= 1e-5 and <= 1e-1);
            Assert.True(next.TryGet("layers", out var layers) && layers.Number == Math.Round(layers.Number) && layers.Number is >= 1 and <= 8);
            Assert.True(next.TryGet("batch", out var batch) && new[] { 16.0, 32, 64, 128 }.Contains(batch.Number));
            Assert.True(next.TryGet("optimizer", out var opt));
            Assert.Equal(opt.Category != "adam", next.TryGet("momentum", out var momentum));
            if (opt.Category != "adam")
            {
                Assert.InRange(momentum.Number, 0.5, 0.999);
            }

            // Every fifth trial fails: the search must carry on around it.
            finished.Add(new Observation(next, i % 5 == 4 ? null : Objective(next)));
        }

        // The model found the learning rate's optimum (an objective close to 0 or above) despite the failures.
        Assert.True(finished.Max(o => o.Value ?? double.MinValue) > -0.1, string.Join("\n", finished.Select(o => $"{o.Parameters} -> {o.Value}")));
    }

    [Fact]
    public void Default_search_spreads_parallel_suggestions_instead_of_piling_onto_one_point()
    {
        // Early, when the model is unsure, trials proposed while others run must not all chase the same maximum.
        var space = SearchSpace.Of(SearchSpace.Double("x", 0, 1), SearchSpace.Double("y", 0, 1));
        double F(ParameterAssignment a) => a.TryGet("x", out var x) && a.TryGet("y", out var y) ? Math.Sin(5 * x.Number) + Math.Cos(3 * y.Number) : 0;

        double Spread(bool tellRunning)
        {
            var search = new GaussianProcessSearch(space, MetricGoal.Maximize, maxTrialCount: 30, seed: 4);
            var finished = new List<Observation>();
            for (var i = 0; i < search.InitialDesignSize + 1; i++)
            {
                var next = search.Suggest(finished, [])!;
                finished.Add(new Observation(next, F(next)));
            }

            var running = new List<ParameterAssignment>();
            for (var i = 0; i < 3; i++)
            {
                running.Add(search.Suggest(finished, tellRunning ? running : [])!);
            }

            var points = running.Select(r => (X: r.Values[0].Value.Number, Y: r.Values[1].Value.Number)).ToList();
            return points.SelectMany((p, i) => points.Skip(i + 1).Select(q => Math.Sqrt(Math.Pow(p.X - q.X, 2) + Math.Pow(p.Y - q.Y, 2)))).Min();
        }

        var blind = Spread(tellRunning: false);
        var aware = Spread(tellRunning: true);

        Assert.True(aware > 0.05 && aware > 3 * blind, $"closest pair: {aware} knowing the running trials, {blind} not knowing them");
    }

    [Fact]
    public void Default_search_beats_random_search_on_branin()
    {
        // The benchmark (build/benchmark-search.sh) measures this properly; this is its quick, always-run check.
        var space = SearchSpace.Of(SearchSpace.Double("x1", -5, 10), SearchSpace.Double("x2", 0, 15));
        const double minimum = 0.397887357729739;
        double Branin(ParameterAssignment a)
        {
            a.TryGet("x1", out var x1);
            a.TryGet("x2", out var x2);
            var b = 5.1 / (4 * Math.PI * Math.PI);
            var u = x2.Number - (b * x1.Number * x1.Number) + (5 / Math.PI * x1.Number) - 6;
            return (u * u) + (10 * (1 - (1 / (8 * Math.PI))) * Math.Cos(x1.Number)) + 10;
        }

        double MedianRegret(Func<int, ISearchAlgorithm> create)
        {
            var regrets = Enumerable.Range(0, 7).Select(seed =>
            {
                var algorithm = create(seed);
                var finished = new List<Observation>();
                for (var i = 0; i < 20; i++)
                {
                    var next = algorithm.Suggest(finished, [])!;
                    finished.Add(new Observation(next, Branin(next)));
                }

                return finished.Min(o => o.Value!.Value) - minimum;
            }).Order().ToList();
            return regrets[regrets.Count / 2];
        }

        var random = MedianRegret(seed => new RandomSearch(space, seed));
        var model = MedianRegret(seed => new GaussianProcessSearch(space, MetricGoal.Minimize, 20, seed));

        Assert.True(model < random / 3, $"default {model} vs random {random}");
    }

    private static List<ParameterAssignment> Drain(ISearchAlgorithm algorithm, int limit)
    {
        var suggested = new List<ParameterAssignment>();
        while (suggested.Count < limit && algorithm.Suggest([], []) is { } next)
        {
            suggested.Add(next);
        }

        return suggested;
    }
}
