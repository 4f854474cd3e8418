using System.Text.RegularExpressions;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

/// <summary>
/// Vertex AI's restart rules and the preemption rehearsal, run by the real dotnet-vertex on the real probe app:
/// restarts in place up to 5, then job retries up to 3, permanent errors never restarted, restartJobOnWorkerRestart
/// and disableRetries, and preempted replicas that resume from their checkpoints.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed partial class RestartTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly LocalRunSetup _setup = new("restart");

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task A_failing_worker_is_restarted_in_place_and_then_the_job_is_retried_until_it_succeeds()
    {
        var app = await ProbeApp.AppAsync();
        // 1 start + 5 restarts fail in the first attempt; the job retry's first start fails, its second succeeds.
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=flaky", "--fail_times=7", "--code=3", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(8, Regex.Matches(result.Output, "\\[workerpool0-0\\] flaky start ").Count);
        Assert.Contains("[workerpool0-0] flaky start 8 succeeds", result.Output);
        Assert.Contains("VertexTraining: workerpool0-0: restarting (exited with code 3; restart 5 of 5)", result.Output);
        Assert.Contains("VertexTraining: job retry 1 of 3: The replica workerpool0-0 exited with a non-zero status of 3. It had been restarted 5 times", result.Output);
        Assert.Contains("VertexTraining: workerpool0-0: restarting (exited with code 3; restart 1 of 5)", result.Output[result.Output.IndexOf("job retry 1", StringComparison.Ordinal)..]);

        var job = RunAssertions.Job(_setup.Cli, result.Output);
        Assert.Equal(LocalJobStates.Succeeded, job.State);
        var restarts = RestartLog.Read(job.Record.RunDirectory)["workerpool0-0"];
        Assert.Equal(7, restarts.Count);
        Assert.Equal("job retry 1 of 3", restarts.Reasons[5]);

        var status = await _setup.Cli.RunAsync(RunTimeout, "status", job.Name);
        Assert.Contains("\nRestarts: workerpool0-0: 7 (exited with code 3; restart 1 of 5; exited with code 3; restart 2 of 5; ... 4 more ...; exited with code 3; restart 1 of 5)\n",
            Regex.Replace(status.Output, " +", " "));
    }

    [Fact]
    public async Task A_worker_failing_past_every_restart_and_retry_fails_the_job_after_24_starts()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=flaky", "--fail_times=1000", "--code=3", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 1, result.All);
        // (1 start + 5 restarts) x (the first attempt + 3 retries), as Vertex AI documents.
        Assert.Equal(24, Regex.Matches(result.Output, "\\[workerpool0-0\\] flaky start ").Count);
        Assert.Contains("VertexTraining: job retry 3 of 3", result.Output);
        Assert.Contains($"error {DiagnosticCodes.ReplicaFailed}: The replica workerpool0-0 exited with a non-zero status of 3. It had been restarted 5 times, the most Vertex AI allows a worker. The job was retried 3 times (at most 3), as Vertex AI does, and failed each time.", result.Error);
        Assert.Equal(LocalJobStates.Failed, RunAssertions.Job(_setup.Cli, result.Output).State);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [Fact]
    public async Task Disable_retries_fails_on_the_first_non_zero_exit()
    {
        var app = await ProbeApp.AppAsync();
        var spec = JobDocs.Spec(JobDocs.Pool(1, "--probe=flaky", "--fail_times=1", "--code=3", $"--marker={_setup.Marker}"));
        spec.Scheduling = new Scheduling { DisableRetries = true };
        var request = JobDocs.Custom(spec).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 1, result.All);
        Assert.Single(Regex.Matches(result.Output, "flaky start "));
        Assert.Contains($"error {DiagnosticCodes.ReplicaFailed}: The replica workerpool0-0 exited with a non-zero status of 3.", result.Error);
        Assert.DoesNotContain("restarting", result.Output);
    }

    [Fact]
    public async Task A_permanent_error_is_not_restarted()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=exit", "--code=127", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 1, result.All);
        Assert.Single(Regex.Matches(result.Output, "\\[workerpool0-0\\] probe task="));
        Assert.Contains("That is a permanent error (its command was not found), which Vertex AI does not restart.", result.Error);
    }

    [Fact]
    public async Task Restart_job_on_worker_restart_brings_every_replica_back_with_the_failed_one()
    {
        var app = await ProbeApp.AppAsync();
        var spec = JobDocs.Spec(
            JobDocs.Pool(1, "--probe=flaky", "--fail_times=1", "--code=3", $"--marker={_setup.Marker}"),
            JobDocs.Pool(1, "--probe=sleep", $"--marker={_setup.Marker}"));
        spec.Scheduling = new Scheduling { RestartJobOnWorkerRestart = true };
        var request = JobDocs.Custom(spec).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("VertexTraining: workerpool1-0: stopping to restart with workerpool0-0 (VertexRestartJobOnWorkerRestart)", result.Output);
        Assert.Equal(2, Regex.Matches(result.Output, "\\[workerpool1-0\\] probe task=workerpool1-0").Count);
        var restarts = RestartLog.Read(RunAssertions.Job(_setup.Cli, result.Output).Record.RunDirectory);
        Assert.Equal(["restarted with workerpool0-0"], restarts["workerpool1-0"].Reasons);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("0s")]
    public async Task A_job_preempted_twice_resumes_from_its_checkpoints_and_ends_with_the_same_model(string grace)
    {
        var app = await ProbeApp.AppAsync();
        const int epochs = 16;
        var args = new[] { "--probe=train", $"--epochs={epochs}", "--epoch_ms=250", $"--marker={_setup.Marker}" };
        var plain = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, args))).Save(_setup.Temp.Combine("plain"));
        var preempted = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, args))).Save(_setup.Temp.Combine("preempted"));

        var uninterrupted = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", plain, "--app", app);
        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", preempted, "--app", app,
            "--preempt", "workerpool0-0@2s", "--preempt", "workerpool0-0@4s", "--grace-period", grace);

        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.All);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(2, Regex.Matches(result.Output, "workerpool0-0: preempted \\(rehearsal workerpool0-0@").Count);
        Assert.Equal(2, Regex.Matches(result.Output, "workerpool0-0: restarting \\(preempted\\)").Count);
        Assert.Equal(3, Regex.Matches(result.Output, "\\[workerpool0-0\\] train from epoch ").Count);
        // Each start after a preemption resumes where the last checkpoint left off.
        var resumedAt = Regex.Matches(result.Output, "\\[workerpool0-0\\] train from epoch ([0-9]+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(0, resumedAt[0]);
        Assert.True(resumedAt[1] > 0 && resumedAt[2] > resumedAt[1], string.Join(",", resumedAt) + "\n" + result.All);

        // The work redone per preemption is at most one checkpoint interval (one epoch): none when the grace period lets it save.
        // Without a grace period the kill can also land between an epoch's checkpoint and its "done" line, so up to one
        // line per preemption may be missing although the epoch counted (the model check below proves nothing was lost).
        var executed = Regex.Matches(result.Output, "\\[workerpool0-0\\] train epoch [0-9]+ done").Count;
        Assert.InRange(executed, grace == "0s" ? epochs - 2 : epochs, grace == "0s" ? epochs + 2 : epochs);

        var model = File.ReadAllText(Path.Combine(RunAssertions.Job(_setup.Cli, result.Output).Record.Folder.OutputsDirectory(null), "model", "model.txt"));
        var expected = File.ReadAllText(Path.Combine(RunAssertions.Job(_setup.Cli, uninterrupted.Output).Record.Folder.OutputsDirectory(null), "model", "model.txt"));
        Assert.Equal(expected, model);

        var status = await _setup.Cli.RunAsync(RunTimeout, "status", RunAssertions.Job(_setup.Cli, result.Output).Name);
        Assert.Contains("\nRestarts: workerpool0-0: 2 (preempted; preempted)\n", Regex.Replace(status.Output, " +", " "));
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [PodmanFact]
    public async Task A_container_preempted_twice_is_stopped_restarted_and_resumes_from_its_checkpoints()
    {
        TestEnvironment.AssertPodmanReady();
        var app = await ProbeApp.AppAsync();
        var archive = await ProbeApp.ImageArchiveAsync();
        const int epochs = 24;
        var args = new[] { "--probe=train", $"--epochs={epochs}", "--epoch_ms=400", $"--marker={_setup.Marker}" };
        var plain = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, args))).Save(_setup.Temp.Combine("plain"));
        var preempted = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, args))).Save(_setup.Temp.Combine("preempted"));

        var uninterrupted = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", plain, "--app", app);
        var result = await new Cli(_setup.Cli.JobIndex).RunAsync(RunTimeout, "local-run", "--request", preempted, "--image-archive", archive, "--mode", "container",
            "--preempt", "workerpool0-0@3s", "--preempt", "workerpool0-0@7s", "--grace-period", "20s");

        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.All);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("VertexTraining: mode: container (podman)", result.Output);
        Assert.Contains("VertexTraining: workerpool0-0: preempted (rehearsal workerpool0-0@3s)", result.Output);
        Assert.Contains("VertexTraining: workerpool0-0: preempted (rehearsal workerpool0-0@7s)", result.Output);
        Assert.Equal(2, Regex.Matches(result.Output, "\\[workerpool0-0\\] train stopped by SIGTERM after saving epoch [0-9]+").Count);
        Assert.Equal(epochs, Regex.Matches(result.Output, "\\[workerpool0-0\\] train epoch [0-9]+ done").Count);
        var job = RunAssertions.Job(_setup.Cli, result.Output);
        Assert.Equal(
            File.ReadAllText(Path.Combine(RunAssertions.Job(_setup.Cli, uninterrupted.Output).Record.Folder.OutputsDirectory(null), "model", "model.txt")),
            File.ReadAllText(Path.Combine(job.Record.Folder.OutputsDirectory(null), "model", "model.txt")));
        Assert.Empty(await Leftovers.ContainersOf(job.Record.Id));
    }

    [Fact]
    public async Task A_trial_can_be_preempted_by_name()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=train", "--epochs=6", "--epoch_ms=300", $"--marker={_setup.Marker}")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2)),
            maxTrials: 2, parallel: 1, maxFailed: 2).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--preempt", "trial-2/workerpool0-0@0.8s", "--grace-period", "10s");

        // The probe's train scenario reports no metric (each trial spends the failure budget of 2); what matters is the restart.
        Assert.Contains("VertexTraining: trial-2-workerpool0-0: preempted (rehearsal trial-2/workerpool0-0@", result.Output);
        Assert.Contains("VertexTraining: trial-2-workerpool0-0: restarting (preempted)", result.Output);
        Assert.DoesNotContain("trial-1-workerpool0-0: preempted", result.Output);
        Assert.Equal(2, Regex.Matches(RunAssertions.TaskLog(_setup.Cli, result.Output, "trial-2-workerpool0-0"), "train from epoch ").Count);
    }

    [Theory]
    [InlineData("--preempt", "worker0@30s", DiagnosticCodes.InvalidLocalPreempt)]
    [InlineData("--preempt", "workerpool0-0@soon", DiagnosticCodes.InvalidLocalPreempt)]
    [InlineData("--grace-period", "-5s", DiagnosticCodes.InvalidLocalGracePeriod)]
    [InlineData("--grace-period", "2h", DiagnosticCodes.InvalidLocalGracePeriod)]
    public async Task A_bad_rehearsal_is_refused_before_anything_runs(string option, string value, string code)
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=info", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, option, value);

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains($"error {code}: {option} ", result.Error);
        Assert.DoesNotContain("probe task=", result.Output);
    }
}
