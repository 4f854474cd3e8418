using System.Globalization;
using System.Text.RegularExpressions;
using VertexTraining.Core.Api;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

/// <summary>
/// <c>local-run --resume local/&lt;id&gt;</c>: the real dotnet-vertex in process mode continuing a local tuning job in
/// its run folder, after a Ctrl-C and after it finished.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class ResumeTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly LocalRunSetup _setup = new("resume");

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task A_study_interrupted_by_ctrl_c_continues_with_its_finished_trials_kept_and_the_interrupted_one_run_again()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=curve", "--steps=4", "--step_ms=400", $"--marker={_setup.Marker}")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Categorical("x", "0.3", "0.5", "0.7", "0.9")),
            maxTrials: 4, parallel: 1, maxFailed: 0).Save(_setup.Temp.Path);

        string firstOutput;
        using (var running = _setup.Cli.Start("local-run", "--request", request, "--app", app))
        {
            // Under way: its first line is in its log (a study does not stream it to the console).
            await running.WaitForOutputAsync("VertexTraining: trial 2: started", RunTimeout);
            await RunAssertions.WaitForLogAsync(_setup.Cli, running.Output, "trial-2-workerpool0-0", "probe task=", RunTimeout);
            running.Signal(Leftovers.SigInt);
            Assert.Equal(130, await running.WaitForExitAsync(RunTimeout));
            firstOutput = running.Output;
        }

        var interrupted = RunAssertions.Job(_setup.Cli, firstOutput);
        var name = interrupted.Name;
        Assert.Equal(LocalJobStates.Cancelled, interrupted.State);
        var before = Ordered(interrupted.TuningJob!);
        Assert.Equal(["1", "2"], before.Select(t => t.Id));
        Assert.Equal(["SUCCEEDED", "INFEASIBLE"], before.Select(t => t.State));
        Assert.Equal("Stopped: the job was cancelled.", before[1].InfeasibleReason);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--resume", name);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains($"VertexTraining: job {name} ", result.Output);
        Assert.Contains("VertexTraining: continuing the study: 1 finished trial kept, 1 interrupted trial to run again", result.Output);
        Assert.Contains("VertexTraining: trial 2: started again with x=0.5", result.Output);
        Assert.Equal(["2", "3", "4"], Regex.Matches(result.Output, @"VertexTraining: trial (\d+): started").Select(m => m.Groups[1].Value));

        var job = RunAssertions.Job(_setup.Cli, result.Output);
        Assert.Equal(name, job.Name);
        Assert.Equal(LocalJobStates.Succeeded, job.State);
        var after = Ordered(job.TuningJob!);
        Assert.Equal(["1", "2", "3", "4"], after.Select(t => t.Id));
        Assert.All(after, t => Assert.Equal("SUCCEEDED", t.State));
        Assert.Equal(["0.3", "0.5", "0.7", "0.9"], after.Select(t => t.Parameters!.Single().Value.GetString()));
        // Trial 1 was kept as it was measured; trial 2 ran twice (its log has both runs), every other trial once.
        Assert.Equal(before[0].EndTime, after[0].EndTime);
        Assert.Equal(VertexTraining.Core.Serialization.VertexJson.Serialize(before[0].FinalMeasurement), VertexTraining.Core.Serialization.VertexJson.Serialize(after[0].FinalMeasurement));
        Assert.Equal([1, 2, 1, 1], after.Select(t => Runs(job, t.Id!)));
        Assert.Equal(4, after[1].FinalMeasurement!.StepCount);

        // The final table has each trial once.
        var table = TableRows(result.Output);
        Assert.Equal(["1", "2", "3", "4"], table);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [Fact]
    public async Task A_finished_six_trial_study_extended_to_ten_runs_only_four_new_trials()
    {
        var app = await ProbeApp.AppAsync();
        var values = Enumerable.Range(1, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        JobDocument Document(int maxTrials) => JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune", $"--marker={_setup.Marker}")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Categorical("x", values)),
            maxTrials, parallel: 2, maxFailed: 0);

        var first = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", Document(6).Save(_setup.Temp.Combine("six")), "--app", app);
        Assert.True(first.ExitCode == 0, first.All);
        var finished = RunAssertions.Job(_setup.Cli, first.Output);
        var six = Ordered(finished.TuningJob!);
        Assert.Equal(6, six.Count);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", Document(10).Save(_setup.Temp.Combine("ten")), "--app", app, "--resume", finished.Name);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("VertexTraining: continuing the study: 6 finished trials kept, 0 interrupted trials to run again", result.Output);
        Assert.Equal(["7", "8", "9", "10"], Regex.Matches(result.Output, @"VertexTraining: trial (\d+): started").Select(m => m.Groups[1].Value));
        var ten = Ordered(RunAssertions.Job(_setup.Cli, result.Output).TuningJob!);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)), ten.Select(t => t.Id));
        // The grid continues where it stopped: no point measured twice.
        Assert.Equal(values, ten.Select(t => t.Parameters!.Single().Value.GetString()));
        Assert.Equal(six.Select(t => t.EndTime), ten.Take(6).Select(t => t.EndTime));
        Assert.All(ten, t => Assert.Equal(1, Runs(RunAssertions.Job(_setup.Cli, result.Output), t.Id!)));
        Assert.Equal(10, TableRows(result.Output).Count);
        // The probe reports x, 10x, 5x: the last measurement of x = 10.
        Assert.Contains("VertexTraining: Best trial: 10 (score = 50, goal MAXIMIZE)", result.Output);
        var missing = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", _setup.Temp.Combine("ten", "job-request.json"), "--app", app, "--resume", "local/no-such-job");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.LocalJobNotFound}: There is no local job local/no-such-job in the index", missing.Error);
    }

    [Fact]
    public async Task A_study_whose_parameters_changed_is_refused_with_what_changed()
    {
        var app = await ProbeApp.AppAsync();
        var study = JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Categorical("x", "1", "2"));
        var first = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request",
            JobDocs.Tuning(JobDocs.Spec(JobDocs.Pool(1, "--probe=tune")), study, 2, 1, 0).Save(_setup.Temp.Combine("before")), "--app", app);
        Assert.True(first.ExitCode == 0, first.All);
        var name = RunAssertions.Job(_setup.Cli, first.Output).Name;

        var changed = JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Categorical("x", "1", "2", "3"), JobDocs.Discrete("y", 1, 2));
        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request",
            JobDocs.Tuning(JobDocs.Spec(JobDocs.Pool(1, "--probe=tune")), changed, 4, 1, 0).Save(_setup.Temp.Combine("after")), "--app", app, "--resume", name);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ResumeStudyMismatch}: {name} cannot be continued: its study differs from the project's (parameter 'y' was added; parameter 'x' was ", result.Error);
        Assert.Contains("restore the saved values, or start a new study (without VertexResume)", result.Error);
        Assert.Equal(2, RunAssertions.Job(_setup.Cli, first.Output).TuningJob!.Trials!.Count);

        var unknown = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", _setup.Temp.Combine("after", "job-request.json"), "--app", app, "--resume", "projects/p/locations/us-central1/hyperparameterTuningJobs/42");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ResumeNotPossible}: --resume (VertexResume) is 'projects/p/locations/us-central1/hyperparameterTuningJobs/42'; it takes a local job name, local/<id>", unknown.Error);
    }

    private static List<Trial> Ordered(HyperparameterTuningJob job) =>
        [.. job.Trials!.OrderBy(t => int.Parse(t.Id!, CultureInfo.InvariantCulture))];

    // How many times the trial's primary replica started: its log holds every run's lines.
    private static int Runs(LocalJobSnapshot job, string trialId) =>
        Regex.Matches(File.ReadAllText(job.Record.Folder.LogFile($"trial-{trialId}-workerpool0-0")), "^probe task=", RegexOptions.Multiline).Count;

    // The trial ids of the end-of-run table.
    private static List<string> TableRows(string output) =>
        [.. Regex.Matches(output, @"^VertexTraining: \*?\s+(\d+)\s+(SUCCEEDED|INFEASIBLE)\s", RegexOptions.Multiline).Select(m => m.Groups[1].Value)];
}
