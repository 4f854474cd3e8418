using System.Globalization;
using VertexTraining.Core.Api;
using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

/// <summary>
/// Early stopping in a whole local study: the real dotnet-vertex in process mode, the probe app reporting a learning
/// curve x * (1 - e^(-step/2)) at steps 1..8, a grid of x values tried in order, one trial at a time.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class EarlyStoppingTests : IDisposable
{
    private const int Steps = 8;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly LocalRunSetup _setup = new("stop");

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task Median_stopping_stops_the_losing_trials_with_their_grace_period_and_leaves_the_others_alone()
    {
        var app = await ProbeApp.AppAsync();
        // Grid search tries categorical values in their order: three strong trials complete first.
        var study = JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Categorical("x", "0.9", "0.8", "0.7", "0.1", "0.2", "0.95"));
        study.MedianAutomatedStoppingSpec = new AutomatedStoppingSpec();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=curve", $"--steps={Steps}", "--step_ms=400", $"--marker={_setup.Marker}")),
            study, maxTrials: 6, parallel: 1, maxFailed: 0).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 0, result.All);
        var job = RunAssertions.Job(_setup.Cli, result.Output);
        var trials = job.TuningJob!.Trials!.OrderBy(t => int.Parse(t.Id!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["0.9", "0.8", "0.7", "0.1", "0.2", "0.95"], trials.Select(t => X(t).ToString(CultureInfo.InvariantCulture)));
        Assert.All(trials, t => Assert.Equal("SUCCEEDED", t.State));
        Assert.Contains("early stopping Median", result.Output);

        // The survivors ran every step and ended where their curves end, as without the rule.
        foreach (var survivor in trials.Where((_, i) => i is 0 or 1 or 2 or 5))
        {
            Assert.Null(survivor.StoppedEarlyAtStep);
            Assert.Equal(Steps, survivor.FinalMeasurement!.StepCount);
            Assert.Equal(Steps, survivor.Measurements!.Count);
            Assert.Equal(X(survivor) * (1 - Math.Exp(-Steps / 2.0)), survivor.FinalMeasurement.Metrics!.Single().Value, 12);
            Assert.Contains($"curve finished {Steps} steps", Log(job, survivor.Id!));
        }

        // The losers (x = 0.1 and 0.2 are below the median of the three completed curves from their first step) got
        // the stop signal, saved a checkpoint in their grace period, and their last report became final.
        foreach (var loser in trials.Where((_, i) => i is 3 or 4))
        {
            var stoppedAt = loser.StoppedEarlyAtStep;
            Assert.NotNull(stoppedAt);
            Assert.InRange(stoppedAt.Value, 1, 3);
            var last = loser.FinalMeasurement!.StepCount!.Value;
            Assert.InRange(last, stoppedAt.Value, stoppedAt.Value + 1);
            Assert.Equal(last, loser.Measurements!.Count);
            Assert.Equal(loser.Measurements[^1].Metrics!.Single().Value, loser.FinalMeasurement.Metrics!.Single().Value);
            Assert.Contains($"curve stopped by the stop signal after step {last}, checkpoint saved", Log(job, loser.Id!));
            var checkpoints = Path.Combine(job.Record.Folder.OutputsDirectory(loser.Id), "checkpoints");
            Assert.True(Directory.EnumerateFiles(checkpoints, "step.txt", SearchOption.AllDirectories).Any(), $"no checkpoint under {checkpoints}");
            Assert.Matches($@"VertexTraining: trial {loser.Id}: stopped early at step {stoppedAt} \(Median rule\): its best value so far, \S+, is worse than \S+, the median running average of \d completed trials up to step {stoppedAt}", result.Output);
            Assert.Matches($@"VertexTraining:\s+{loser.Id}\s+SUCCEEDED\s+\S+\s+\S+s\s+x=0\.[12]\s+stopped early at step {stoppedAt}\n", result.Output);
        }

        Assert.Matches(@"VertexTraining: \*\s+6\s+SUCCEEDED\s+\S+\s+\S+s\s+x=0\.95\n", result.Output);
        var status = await _setup.Cli.RunAsync(TimeSpan.FromSeconds(60), "status", "local/" + RunAssertions.JobIdIn(result.Output));
        Assert.Contains("\nTrials:       6 succeeded (2 stopped early), 0 running, 0 failed of 6\n", status.Output);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [Fact]
    public async Task Without_a_stopping_spec_every_trial_runs_to_its_end()
    {
        var app = await ProbeApp.AppAsync();
        var study = JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Categorical("x", "0.9", "0.8", "0.7", "0.1"));
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=curve", "--steps=4", "--step_ms=100", $"--marker={_setup.Marker}")),
            study, maxTrials: 4, parallel: 1, maxFailed: 0).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 0, result.All);
        var trials = RunAssertions.Job(_setup.Cli, result.Output).TuningJob!.Trials!;
        Assert.Equal(4, trials.Count);
        Assert.All(trials, t => Assert.Null(t.StoppedEarlyAtStep));
        Assert.All(trials, t => Assert.Equal(4, t.FinalMeasurement!.StepCount));
        Assert.DoesNotContain("stopped early", result.Output);
    }

    private static double X(Trial trial) => double.Parse(trial.Parameters!.Single().Value.GetString()!, CultureInfo.InvariantCulture);

    private static string Log(LocalJobSnapshot job, string trialId) =>
        File.ReadAllText(job.Record.Folder.LogFile($"trial-{trialId}-workerpool0-0"));
}
