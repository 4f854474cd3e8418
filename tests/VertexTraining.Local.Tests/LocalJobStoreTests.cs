using System.Diagnostics;
using System.Text.Json;
using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Local;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Local.Tests;

public sealed class LocalJobStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new("store");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_registered_job_is_found_by_its_local_name_or_id_and_read_like_a_cloud_resource()
    {
        var store = new LocalJobStore(_temp.Combine("index"));
        var folder = new RunFolder(_temp.Combine("run"));
        WriteJob(folder, new CustomJob { Name = "local/20260101-000000-abcd", DisplayName = "d", State = LocalJobStates.Succeeded });
        store.Register("20260101-000000-abcd", folder.Root);

        var record = store.Find("local/20260101-000000-abcd")!;

        Assert.Equal(folder.Root, record.RunDirectory);
        Assert.Equal(folder.Root, store.Find("20260101-000000-abcd")!.RunDirectory);
        Assert.Null(store.Find("local/20990101-000000-ffff"));
        Assert.Null(store.Find("projects/p/locations/l/customJobs/1"));
        var snapshot = record.Read();
        Assert.Equal(LocalJobStates.Succeeded, snapshot.State);
        Assert.Equal("local/20260101-000000-abcd", snapshot.Name);
        Assert.False(snapshot.IsAbandoned);
        Assert.Equal("d", JsonDocument.Parse(snapshot.ToJson()).RootElement.GetProperty("displayName").GetString());
        Assert.Single(store.List());
        Assert.True(LocalJobStore.IsLocalJobName("local/20260101-000000-abcd"));
        Assert.False(LocalJobStore.IsLocalJobName("projects/p/locations/l/customJobs/1"));
    }

    [Fact]
    public void A_running_job_whose_runner_is_gone_reads_as_failed()
    {
        var store = new LocalJobStore(_temp.Combine("index"));
        var folder = new RunFolder(_temp.Combine("run"));
        WriteJob(folder, new HyperparameterTuningJob { Name = "local/20260101-000000-0001", State = LocalJobStates.Running, StudySpec = new StudySpec() });
        store.Register("20260101-000000-0001", folder.Root);

        // A process that has certainly ended.
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        File.WriteAllText(folder.RunnerFile, gone.Id + "\n");
        var abandoned = store.Find("local/20260101-000000-0001")!.Read();
        Assert.True(abandoned.IsAbandoned);
        Assert.Equal(LocalJobStates.Failed, abandoned.State);
        Assert.Contains("stopped without recording", abandoned.TuningJob!.Error!.Message);

        File.WriteAllText(folder.RunnerFile, Environment.ProcessId + "\n");
        Assert.Equal(LocalJobStates.Running, store.Find("local/20260101-000000-0001")!.Read().State);
    }

    [Fact]
    public void Logs_are_selected_by_task_by_replica_across_trials_or_by_trial_in_trial_order()
    {
        var store = new LocalJobStore(_temp.Combine("index"));
        var folder = new RunFolder(_temp.Combine("run"));
        Directory.CreateDirectory(folder.LogsDirectory);
        foreach (var task in new[] { "trial-10-workerpool0-0", "trial-2-workerpool0-0", "trial-2-workerpool1-0", "trial-1-workerpool0-0" })
        {
            File.WriteAllText(folder.LogFile(task), task);
        }

        WriteJob(folder, new HyperparameterTuningJob { Name = "local/20260101-000000-0002", State = LocalJobStates.Succeeded, StudySpec = new StudySpec() });
        store.Register("20260101-000000-0002", folder.Root);
        var record = store.Find("local/20260101-000000-0002")!;

        Assert.Equal(["trial-1-workerpool0-0", "trial-2-workerpool0-0", "trial-2-workerpool1-0", "trial-10-workerpool0-0"], record.Logs().Select(l => l.Task));
        Assert.Equal(["trial-1-workerpool0-0", "trial-2-workerpool0-0", "trial-10-workerpool0-0"], record.Logs("workerpool0-0").Select(l => l.Task));
        Assert.Equal(["trial-2-workerpool0-0", "trial-2-workerpool1-0"], record.Logs("trial-2").Select(l => l.Task));
        Assert.Equal(["trial-2-workerpool1-0"], record.Logs("trial-2-workerpool1-0").Select(l => l.Task));
    }

    [Fact]
    public void The_default_index_honours_the_override_variable()
    {
        var previous = Environment.GetEnvironmentVariable(LocalJobStore.IndexVariable);
        try
        {
            Environment.SetEnvironmentVariable(LocalJobStore.IndexVariable, _temp.Combine("custom-index"));
            Assert.Equal(_temp.Combine("custom-index"), LocalJobStore.Default.IndexDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(LocalJobStore.IndexVariable, previous);
        }
    }

    [Fact]
    public void The_trial_table_marks_the_best_trial_by_the_goal_and_shows_why_others_are_infeasible()
    {
        var job = new HyperparameterTuningJob
        {
            StudySpec = new StudySpec { Metrics = [new MetricSpec { MetricId = "loss", Goal = "MINIMIZE" }] },
            Trials =
            [
                Trial("2", 0.5, "sgd"),
                Trial("1", 0.25, "adam"),
                new Trial { Id = "3", State = "INFEASIBLE", InfeasibleReason = "The trial reported no value of the metric 'loss'.", Parameters = [Parameter("optimizer", "rmsprop")] },
            ],
        };

        var report = TrialReport.From(job);
        var lines = report.Format().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^\s+TRIAL\s+STATE\s+LOSS\s+DURATION\s+PARAMETERS\s+NOTE$", lines[0]);
        Assert.Matches(@"^\*\s+1\s+SUCCEEDED\s+0\.25\s+optimizer=adam$", lines[1]);
        Assert.Matches(@"^\s+2\s+SUCCEEDED\s+0\.5\s+optimizer=sgd$", lines[2]);
        Assert.Matches(@"^\s+3\s+INFEASIBLE\s+optimizer=rmsprop\s+infeasible: The trial reported no value", lines[3]);
        Assert.Equal("Trials: 2 succeeded, 0 running, 1 failed of 0", lines[4]);
        Assert.Equal("Best trial: 1 (loss = 0.25, goal MINIMIZE)", lines[5]);
        Assert.Equal(lines[5], report.DescribeBest());
    }

    private static Trial Trial(string id, double value, string optimizer) => new()
    {
        Id = id,
        State = "SUCCEEDED",
        Parameters = [Parameter("optimizer", optimizer)],
        FinalMeasurement = new Measurement { StepCount = 1, Metrics = [new MeasurementMetric { MetricId = "loss", Value = value }] },
    };

    private static TrialParameter Parameter(string id, string value) =>
        new() { ParameterId = id, Value = JsonSerializer.SerializeToElement(value) };

    private static void WriteJob<T>(RunFolder folder, T job)
    {
        Directory.CreateDirectory(folder.Root);
        File.WriteAllText(folder.JobFile, VertexJson.Serialize(job));
    }
}
