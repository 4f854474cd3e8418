using System.Globalization;
using System.Text.RegularExpressions;
using VertexTraining.Core.Api;

namespace VertexTraining.Local.Tests;

/// <summary>
/// What a parallel local study prints (issue 15 part 3): one line per trial event and a summary, none of the trials'
/// own lines, which stay whole in the run folder; <c>--verbose</c> streams them again. The real dotnet-vertex in
/// process mode, the probe app printing an epoch line and reporting a learning curve at every step.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class TrialEventOutputTests : IDisposable
{
    private const int Steps = 6;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _temp = new("events");
    private readonly string _marker = "m" + Guid.NewGuid().ToString("N")[..12];
    private readonly Cli _cli;

    public TrialEventOutputTests()
    {
        var noEngines = _temp.Combine("empty-path");
        Directory.CreateDirectory(noEngines);
        _cli = new Cli(_temp.Combine("index"), path: noEngines);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_parallel_study_prints_trial_events_and_a_summary_and_keeps_the_epoch_lines_in_its_logs()
    {
        var app = await ProbeApp.AppAsync();
        // Each trial takes about 6 x 1.2 s: long enough for the 5 s throttle to hold back most of its reports.
        var spec = JobDocs.Spec(JobDocs.Pool(1, "--probe=curve", $"--steps={Steps}", "--step_ms=1200", "--fail_x=0.2", $"--marker={_marker}"));
        spec.Scheduling = new Scheduling { DisableRetries = true }; // the failed trial fails at once, not after Vertex's restarts
        var request = JobDocs.Tuning(spec,
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Categorical("x", "0.9", "0.2", "0.7", "0.5")),
            maxTrials: 4, parallel: 2, maxFailed: 2).Save(_temp.Path);

        var result = await _cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 0, result.All);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        var job = RunAssertions.Job(_cli, result.Output);
        var folder = job.Record.Folder;
        var trials = job.TuningJob!.Trials!.ToDictionary(t => t.Id!);
        Assert.Equal(["1", "2", "3", "4"], trials.Keys.Order());

        // No line of a trial's own reached the console: every line is the tool's.
        Assert.All(lines, line => Assert.StartsWith("VertexTraining: ", line, StringComparison.Ordinal));
        Assert.DoesNotContain("epoch ", result.Output);
        Assert.DoesNotContain("started at 127.0.0.1", result.Output); // the replicas' comings and goings show with their lines
        Assert.Contains($"VertexTraining: trial output goes to {folder.LogsDirectory} (dotnet vertex logs shows it); --verbose, or -p:VertexLocalVerbosity=detailed, streams it here", lines);

        foreach (var (id, x) in new[] { ("1", "0.9"), ("3", "0.7"), ("4", "0.5") })
        {
            Assert.Contains($"VertexTraining: trial {id}: started with x={x}", lines);
            var final = trials[id].FinalMeasurement!.Metrics!.Single().Value;
            Assert.Equal(double.Parse(x, CultureInfo.InvariantCulture) * (1 - Math.Exp(-Steps / 2.0)), final, 12);
            Assert.Contains($"VertexTraining: trial {id}: finished, score = {final.ToString("G6", CultureInfo.InvariantCulture)}", lines);

            // Its values while it ran: the first report at once, then at most one per 5 s, so fewer than its reports.
            var progress = lines.Where(l => l.StartsWith($"VertexTraining: trial {id}: score = ", StringComparison.Ordinal)).ToList();
            Assert.InRange(progress.Count, 1, 3);
            Assert.All(progress, p => Assert.Matches($@"^VertexTraining: trial {id}: score = \S+ at step [1-{Steps}]$", p));

            // The whole output is in the run folder, every epoch of it.
            var log = File.ReadAllLines(folder.LogFile($"trial-{id}-workerpool0-0"));
            Assert.Equal(Steps, log.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        }

        // The failed trial says why and which command shows its output; that command shows it.
        var failed = $"VertexTraining: trial 2: failed: The replica workerpool0-0 exited with a non-zero status of 42. Its output: dotnet vertex logs {job.Name} --task trial-2 (files {folder.LogsDirectory}/trial-2-*.log)";
        Assert.True(lines.Contains(failed), $"No line\n{failed}\nin\n{result.Output}");
        var logs = await _cli.RunAsync(TimeSpan.FromSeconds(60), "logs", job.Name!, "--task", "trial-2");
        Assert.True(logs.ExitCode == 0, logs.All);
        var shown = logs.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(File.ReadAllLines(folder.LogFile("trial-2-workerpool0-0")).Select(l => "[trial-2-workerpool0-0] " + l), shown);
        Assert.Equal(["[trial-2-workerpool0-0] epoch 1/6 score=0.07869386805747332", "[trial-2-workerpool0-0] probe error: deliberate failure for x=0.2 at step 1"],
            shown[^2..]);

        // The summary, printed when it changed: first two running, last the end state with the best trial.
        var summaries = lines.Where(l => l.StartsWith("VertexTraining: trials ", StringComparison.Ordinal)).ToList();
        Assert.Equal("VertexTraining: trials 0 succeeded, 2 running, 0 failed of 4; no value yet", summaries[0]);
        Assert.Equal(summaries.Count, summaries.Distinct().Count());
        var best = trials["1"].FinalMeasurement!.Metrics!.Single().Value;
        Assert.Equal($"VertexTraining: trials 3 succeeded, 0 running, 1 failed of 4; best so far: trial 1 (score = {best.ToString("G6", CultureInfo.InvariantCulture)})", summaries[^1]);
        // Each event comes before the summary that counts it.
        Assert.True(Array.IndexOf(lines, failed) < Array.FindIndex(lines, l => l.Contains("1 failed of 4", StringComparison.Ordinal)));
        await RunAssertions.NoProcessesLeftWith(_marker);
    }

    [Fact]
    public async Task With_verbose_a_study_streams_its_trials_lines_with_their_task_prefix()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=curve", "--steps=2", "--step_ms=100", $"--marker={_marker}")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Categorical("x", "0.9", "0.5")),
            maxTrials: 2, parallel: 2, maxFailed: 0).Save(_temp.Path);

        var result = await _cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--verbose");

        Assert.True(result.ExitCode == 0, result.All);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        var folder = RunAssertions.Folder(_cli, result.Output);
        foreach (var trial in new[] { "trial-1-workerpool0-0", "trial-2-workerpool0-0" })
        {
            // Every line of the log, in order, also on the console with the task's prefix (as `logs` prints it).
            var streamed = lines.Where(l => l.StartsWith($"[{trial}] ", StringComparison.Ordinal)).ToList();
            Assert.Equal(File.ReadAllLines(folder.LogFile(trial)).Select(l => $"[{trial}] {l}"), streamed);
            Assert.Contains($"[{trial}] epoch 2/2 ", result.Output);
        }

        Assert.DoesNotContain("trial output goes to", result.Output);
        Assert.Contains("VertexTraining: trial-1-workerpool0-0: started at 127.0.0.1:", result.Output);
        Assert.Contains("VertexTraining: trial 1: finished, score = ", result.Output);
        Assert.Matches(new Regex(@"^VertexTraining: trials 2 succeeded, 0 running, 0 failed of 2; best so far: trial 1 \(score = \S+\)$", RegexOptions.Multiline), result.Output);
    }
}
