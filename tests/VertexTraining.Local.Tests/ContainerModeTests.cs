using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

/// <summary>
/// The whole local run in container mode: the probe's image built by the SDK (-t:PublishContainer) into an archive
/// on the CUDA stand-in base, loaded and run by the real dotnet-vertex with podman, one container per replica.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class ContainerModeTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly LocalRunSetup _setup = new("ctr", hideContainerEngines: false);

    public void Dispose() => _setup.Dispose();

    [PodmanFact]
    public async Task Replicas_run_as_containers_that_reach_each_other_and_write_the_mapped_folders_as_a_non_root_user()
    {
        TestEnvironment.AssertPodmanReady();
        var archive = await ProbeApp.ImageArchiveAsync();
        // The parameter-server pool names another image (the CUDA base itself): it runs that image, not the app's.
        var parameterServer = JobDocs.Pool(1, "--version");
        parameterServer.ContainerSpec!.ImageUri = TestEnvironment.CudaBaseImage;
        parameterServer.ContainerSpec.Command = ["/lib64/ld-linux-x86-64.so.2"];
        var request = JobDocs.Custom(JobDocs.Spec(
            JobDocs.Pool(1, "--probe=exchange", $"--marker={_setup.Marker}").WithEnv("PROBE_GREETING", "secret-value-42"),
            JobDocs.Pool(2, "--probe=exchange", $"--marker={_setup.Marker}"),
            parameterServer,
            JobDocs.Pool(1, "--probe=exchange", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Combine("obj", "vertex"));

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--image-archive", archive, "--app", _setup.Temp.Combine("unused-app"));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("VertexTraining: mode: container (podman), because podman is available", result.Output);
        Assert.Contains("and an image archive was given", result.Output);
        Assert.Contains("[workerpool0-0] primary exchanged with 2 workers", result.Output);
        Assert.Contains("[workerpool1-1] worker got: welcome workerpool1-1 from workerpool0-0", result.Output);
        Assert.Contains("[workerpool3-0] evaluator tf_config roles=[chief,ps,worker] task=evaluator clusterspec pools=[workerpool0,workerpool1,workerpool2,workerpool3]", result.Output);
        Assert.Contains("[workerpool2-0] ld.so (", result.Output);
        // The job's env reaches the container, through podman's environment rather than its command line.
        Assert.Contains("[workerpool0-0] probe env PROBE_GREETING=secret-value-42", result.Output);

        var job = RunAssertions.Job(_setup.Cli, result.Output);
        Assert.Equal(LocalJobStates.Succeeded, job.State);
        var model = Path.Combine(job.Record.Folder.OutputsDirectory(null), "model");
        foreach (var task in new[] { "workerpool0-0", "workerpool1-0", "workerpool1-1", "workerpool3-0" })
        {
            var file = Path.Combine(model, task + ".txt");
            Assert.Equal($"written by {task}\n", File.ReadAllText(file));
            // Written from inside the container by the image's user 1000, through the bind mount.
            Assert.Equal("1000", (await Commands.RunAsync("stat", ["-c", "%u", file], TimeSpan.FromSeconds(10))).Output.Trim());
        }

        Assert.Equal(["workerpool0-0", "workerpool1-0", "workerpool1-1", "workerpool2-0", "workerpool3-0"], job.Record.Logs().Select(l => l.Task));
        Assert.Empty(await Leftovers.ContainersOf(job.Record.Id));
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [PodmanFact]
    public async Task Tuning_trials_run_as_containers_in_parallel_and_report_through_the_mounted_metric_files()
    {
        TestEnvironment.AssertPodmanReady();
        var archive = await ProbeApp.ImageArchiveAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune", "--silent_x=3")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3)),
            maxTrials: 3, parallel: 2, maxFailed: 2).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--image-archive", archive, "--mode", "container");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("VertexTraining: mode: container (podman)\n", result.Output);
        Assert.DoesNotContain("because --mode", result.Output);
        var job = RunAssertions.Job(_setup.Cli, result.Output);
        var trials = job.TuningJob!.Trials!.OrderBy(t => t.Id).ToList();
        Assert.Equal(["SUCCEEDED", "SUCCEEDED", "INFEASIBLE"], trials.Select(t => t.State));
        Assert.Equal([5.0, 10], trials.Take(2).Select(t => t.FinalMeasurement!.Metrics!.Single().Value));
        Assert.Contains("VertexTraining: Best trial: 2 (score = 10, goal MAXIMIZE)", result.Output);
        Assert.Empty(await Leftovers.ContainersOf(job.Record.Id));
    }

    [PodmanFact]
    public async Task Ctrl_c_stops_every_container_and_leaves_none_behind()
    {
        TestEnvironment.AssertPodmanReady();
        var archive = await ProbeApp.ImageArchiveAsync();
        var request = JobDocs.Custom(JobDocs.Spec(
            JobDocs.Pool(1, "--probe=sleep", "--children=1", $"--marker={_setup.Marker}"),
            JobDocs.Pool(2, "--probe=sleep", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Path);

        using var running = _setup.Cli.Start("local-run", "--request", request, "--image-archive", archive);
        await running.WaitForOutputAsync("[workerpool0-0] sleeping", RunTimeout);
        await running.WaitForOutputAsync("[workerpool1-0] sleeping", RunTimeout);
        await running.WaitForOutputAsync("[workerpool1-1] sleeping", RunTimeout);
        var jobId = RunAssertions.JobIdIn(running.Output);
        Assert.Equal(3, (await Leftovers.ContainersOf(jobId)).Count);
        Assert.Equal(3, (await Leftovers.ContainersNamed(jobId)).Count);

        running.Signal(Leftovers.SigInt);
        var exitCode = await running.WaitForExitAsync(RunTimeout);

        Assert.True(exitCode == 130, $"exit {exitCode}\n{running.Output}\n{running.Error}");
        Assert.Empty(await Leftovers.ContainersOf(jobId));
        Assert.Empty(await Leftovers.ContainersNamed(jobId));
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
        Assert.Equal(LocalJobStates.Cancelled, RunAssertions.Job(_setup.Cli, running.Output).State);
    }

    [PodmanFact]
    public async Task Ctrl_c_to_the_process_group_during_a_container_tuning_run_cancels_it_with_its_table_and_leaves_nothing()
    {
        TestEnvironment.AssertPodmanReady();
        var archive = await ProbeApp.ImageArchiveAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=sleep", $"--marker={_setup.Marker}")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3, 4)),
            maxTrials: 4, parallel: 2, maxFailed: 0).Save(_setup.Temp.Path);

        // A terminal's Ctrl-C reaches every process of the group: the tool, and each podman client it started.
        // Streamed (-v), to see both trials' replicas reach their sleep.
        using var running = _setup.Cli.StartInOwnProcessGroup("local-run", "--request", request, "--image-archive", archive, "--mode", "container", "-v");
        await running.WaitForOutputAsync("[trial-1-workerpool0-0] sleeping", RunTimeout);
        await running.WaitForOutputAsync("[trial-2-workerpool0-0] sleeping", RunTimeout);
        var jobId = RunAssertions.JobIdIn(running.Output);
        Assert.Equal(2, (await Leftovers.ContainersOf(jobId)).Count);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        running.SignalGroup(Leftovers.SigInt);
        await Task.Delay(200);
        running.SignalGroup(Leftovers.SigInt);
        var exitCode = await running.WaitForExitAsync(RunTimeout);

        Assert.True(exitCode == 130, $"exit {exitCode}\n{running.Output}\n{running.Error}");
        // Within the 5 s stop grace (and podman's own stop), not the ~35 s the trainers used to run on.
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 25);
        Assert.DoesNotContain("InvalidOperationException", running.Error);
        Assert.Empty(await Leftovers.ContainersOf(jobId));
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
        var job = RunAssertions.Job(_setup.Cli, running.Output);
        Assert.Equal(LocalJobStates.Cancelled, job.State);
        Assert.Contains("VertexTraining: trials:", running.Output);
    }
}
