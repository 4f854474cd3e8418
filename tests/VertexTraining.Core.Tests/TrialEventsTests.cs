using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Core.Tests;

/// <summary>What a local tuning job prints instead of its trials' interleaved output (issue 15 part 3).</summary>
public sealed class TrialEventsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vtx-trial-events-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_summary_counts_trials_as_wait_does_and_names_the_best_so_far()
    {
        var job = Study(
            new Trial { Id = "1", State = "SUCCEEDED", FinalMeasurement = Measured(0.5) },
            new Trial { Id = "2", State = "INFEASIBLE", InfeasibleReason = "Trial failed: exit 3" },
            new Trial { Id = "3", State = "SUCCEEDED", FinalMeasurement = Measured(0.875) },
            new Trial { Id = "4", State = "ACTIVE" });

        Assert.Equal("trials 2 succeeded, 1 running, 1 failed of 6; best so far: trial 3 (accuracy = 0.875)", TrialEvents.Summary(TrialReport.From(job)));
        Assert.Equal("trials 0 succeeded, 1 running, 0 failed of 6; no value yet",
            TrialEvents.Summary(TrialReport.From(Study(new Trial { Id = "1", State = "ACTIVE" }))));
    }

    [Fact]
    public void A_failed_trial_says_why_and_gives_the_logs_command_and_files_of_its_tasks()
    {
        var folder = new RunFolder(_directory);

        var line = TrialEvents.Failed("12", "The replica workerpool0-0 exited with a non-zero status of 42.", "local/20261205-003000-ab12", folder);

        Assert.Equal(
            $"trial 12: failed: The replica workerpool0-0 exited with a non-zero status of 42. Its output: dotnet vertex logs local/20261205-003000-ab12 --task trial-12 (files {_directory}/logs/trial-12-*.log)",
            line);
        // The --task value names exactly the trial's own log files (trial-12-workerpool0-0), as `logs` selects them.
        Assert.StartsWith(TrialEvents.TaskPrefix("12") + "-", RunFolder.TaskName("12", "workerpool0-0"), StringComparison.Ordinal);
    }

    [Fact]
    public void Started_lines_carry_the_exact_values_and_value_lines_those_of_the_trial_table()
    {
        Assert.Equal("trial 3: started with lr=0.01, layers=2", TrialEvents.Started("3", "lr=0.01, layers=2", again: false));
        Assert.Equal("trial 3: started again with lr=0.01", TrialEvents.Started("3", "lr=0.01", again: true));
        Assert.Equal("trial 3: accuracy = 0.1 at step 7", TrialEvents.Progress("3", "accuracy", new MetricFile.Record(7, 0.1, null)));
        Assert.Equal("trial 3: finished, accuracy = 0.3", TrialEvents.Finished("3", "accuracy", 0.1 + 0.2, null));
        Assert.Equal("trial 3: accuracy = 0.826667 at step 13", TrialEvents.Progress("3", "accuracy", new MetricFile.Record(13, 0.8266666666666667, null)));
        Assert.Equal("trial 3: finished, accuracy = 0.5 (stopped early at step 4)", TrialEvents.Finished("3", "accuracy", 0.5, 4));
    }

    [Fact]
    public void The_throttle_prints_a_trials_first_report_at_once_then_its_newest_at_most_once_per_interval()
    {
        var clock = new ManualClock();
        var throttle = new ProgressThrottle(TimeSpan.FromSeconds(5), clock);

        Assert.True(throttle.Admit("1", Report(1)));
        Assert.True(throttle.Admit("2", Report(1))); // another trial is not held back by the first
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttle.Admit("1", Report(2))); // too soon
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.True(throttle.Admit("1", Report(3))); // the newest, once the interval passed
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(throttle.Admit("1", Report(3))); // nothing new: no repeat, however long it waits
        throttle.Forget("1");
        Assert.True(throttle.Admit("1", Report(3))); // a trial run again starts afresh
    }

    [Fact]
    public async Task The_watch_reads_a_running_trials_metric_file_and_prints_its_newest_report_throttled()
    {
        var metrics = Path.Combine(_directory, "workerpool0-0.metrics");
        var printed = new List<string>();
        var watch = new TrialProgressWatch("accuracy", TimeSpan.FromHours(1), line => { lock (printed) { printed.Add(line); } });
        await using (watch)
        {
            // The cloudml-hypertune format: the value and global_step as strings, one JSON object per line.
            await File.WriteAllTextAsync(metrics, "{\"accuracy\": \"0.25\", \"global_step\": \"1\", \"timestamp\": 1.0}\n");
            watch.Add("5", metrics);
            await WaitUntil(() => Count(printed) == 1);
            await File.AppendAllTextAsync(metrics, "{\"accuracy\": \"0.5\", \"global_step\": \"2\", \"timestamp\": 2.0}\n");
            await Task.Delay(TrialProgressWatch.PollInterval * 3);
            watch.Remove("5");
        }

        // Every epoch's report reaches the metric file; within the interval only the first reached the console.
        Assert.Equal(["trial 5: accuracy = 0.25 at step 1"], printed);
    }

    [Fact]
    public void Task_lines_of_a_run_that_does_not_stream_go_to_the_log_file_only()
    {
        var folder = new RunFolder(_directory);
        var output = new Collected();
        var observed = new List<string>();
        using (var run = new RunOutput(output, folder) { StreamTaskLines = false })
        {
            run.Observe((task, line) => observed.Add($"{task}: {line}"));
            var lines = run.LinesOf("trial-1-workerpool0-0");
            lines("epoch 1 loss 0.9", false);
            lines("epoch 2 loss 0.5", true);
            run.Info("trial 1: finished, loss = 0.5");
        }

        Assert.Equal(["info: trial 1: finished, loss = 0.5"], output.Lines);
        Assert.Equal(["epoch 1 loss 0.9", "epoch 2 loss 0.5"], File.ReadAllLines(folder.LogFile("trial-1-workerpool0-0")));
        Assert.Equal(2, observed.Count); // the watches that read task lines (unread hyperparameters) still see them
    }

    [Fact]
    public void Task_lines_of_a_streaming_run_reach_the_output_as_well()
    {
        var folder = new RunFolder(_directory);
        var output = new Collected();
        using (var run = new RunOutput(output, folder))
        {
            run.LinesOf("workerpool0-0")("epoch 1", false);
        }

        Assert.Equal(["workerpool0-0: epoch 1"], output.Lines);
        Assert.Equal(["epoch 1"], File.ReadAllLines(folder.LogFile("workerpool0-0")));
    }

    private static HyperparameterTuningJob Study(params Trial[] trials) => new()
    {
        State = "JOB_STATE_RUNNING",
        MaxTrialCount = 6,
        StudySpec = new StudySpec { Metrics = [new MetricSpec { MetricId = "accuracy", Goal = "MAXIMIZE" }] },
        Trials = [.. trials],
    };

    private static Measurement Measured(double value) => new() { Metrics = [new MeasurementMetric { MetricId = "accuracy", Value = value }] };

    private static MetricFile.Record Report(long step) => new(step, step / 10.0, step);

    private static int Count(List<string> lines)
    {
        lock (lines)
        {
            return lines.Count;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class Collected : ILocalRunOutput
    {
        public List<string> Lines { get; } = [];

        public void Info(string message) => Lines.Add($"info: {message}");

        public void Diagnostic(VertexDiagnostic diagnostic) => Lines.Add(diagnostic.ToString());

        public void TaskLine(string task, string line, bool isStandardError) => Lines.Add($"{task}: {line}");
    }
}
