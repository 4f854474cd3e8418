using System.Globalization;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Local.Tests;

/// <summary>
/// <c>local-run --warm-start local/&lt;id&gt;</c> (VertexTuningWarmStart): the real dotnet-vertex in process mode, a new
/// study seeded with an earlier one's trials.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class WarmStartTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly LocalRunSetup _setup = new("warm");

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task A_new_study_starts_from_an_earlier_ones_trials_and_says_which_did_not_fit()
    {
        var app = await ProbeApp.AppAsync();
        var earlier = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--app", app, "--request", JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3, 9)),
            maxTrials: 4, parallel: 1, maxFailed: 0).Save(_setup.Temp.Combine("earlier")));
        Assert.True(earlier.ExitCode == 0, earlier.All);
        var earlierName = RunAssertions.Job(_setup.Cli, earlier.Output).Name;

        // x = 9 is outside the new study's values; the grid skips the points the earlier study measured.
        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--app", app, "--warm-start", earlierName, "--request", JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3, 4, 5)),
            maxTrials: 2, parallel: 1, maxFailed: 0).Save(_setup.Temp.Combine("new")));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains($"VertexTraining: warm start: 3 trials of {earlierName} seed the search; 1 do not fit this study's parameters (trial 4: x=9 is outside what 'x' takes now)", result.Output);
        var trials = RunAssertions.Job(_setup.Cli, result.Output).TuningJob!.Trials!.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(["1", "2"], trials.Select(t => t.Id));
        Assert.Equal([4.0, 5.0], trials.Select(t => t.Parameters!.Single().Value.GetDouble()));
    }

    [Fact]
    public async Task An_earlier_study_of_another_metric_or_something_that_is_no_study_is_refused_with_why()
    {
        var app = await ProbeApp.AppAsync();
        var earlier = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--app", app, "--request", JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune", "--metric=loss")),
            JobDocs.Study("loss", "MINIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1)),
            maxTrials: 1, parallel: 1, maxFailed: 0).Save(_setup.Temp.Combine("earlier")));
        Assert.True(earlier.ExitCode == 0, earlier.All);
        var earlierName = RunAssertions.Job(_setup.Cli, earlier.Output).Name;
        var request = JobDocs.Tuning(JobDocs.Spec(JobDocs.Pool(1, "--probe=tune")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2)), 2, 1, 0).Save(_setup.Temp.Combine("new"));

        var otherMetric = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--app", app, "--warm-start", earlierName, "--request", request);
        // Cloud HyperparameterTuningJob names are read through the API (VertexTraining.Cli.Tests, against a loopback
        // stand-in); a storage path is neither a local nor a cloud study.
        var notAStudy = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--app", app, "--warm-start", "gs://my-bucket/studies/7", "--request", request);

        Assert.Equal(2, otherMetric.ExitCode);
        Assert.Equal(2, notAStudy.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.WarmStartMetricMismatch}: VertexTuningWarmStart: {earlierName} optimised 'loss' (MINIMIZE), this study 'score' (MAXIMIZE)", otherMetric.Error);
        Assert.Contains($"error {DiagnosticCodes.WarmStartNotPossible}: VertexTuningWarmStart (--warm-start) has 'gs://my-bucket/studies/7'; it takes earlier local studies, local/<id>", notAStudy.Error);
    }

    [Fact]
    public void The_default_search_models_warm_start_trials_from_its_first_suggestion()
    {
        var space = SearchSpace.Of(SearchSpace.Double("x", 0, 1));
        static double Peak(double x) => -((x - 0.8) * (x - 0.8));
        var prior = Enumerable.Range(0, 8).Select(i => i / 7.0)
            .Select(x => new Observation(new ParameterAssignment([new("x", ParameterValue.Of(x))]), Peak(x))).ToList();

        var cold = SearchAlgorithms.Create(null, space, MetricGoal.Maximize, 10, seed: 3).Suggest([], [])!;
        var warm = SearchAlgorithms.Create(null, space, MetricGoal.Maximize, 10, seed: 3).Suggest(prior, [])!;

        cold.TryGet("x", out var coldX);
        warm.TryGet("x", out var warmX);
        // Cold, the first trial is the initial design's; warm, the model's choice near the earlier study's peak.
        Assert.InRange(warmX.Number, 0.7, 0.9);
        Assert.NotEqual(coldX.Number.ToString("R", CultureInfo.InvariantCulture), warmX.Number.ToString("R", CultureInfo.InvariantCulture));
    }
}
