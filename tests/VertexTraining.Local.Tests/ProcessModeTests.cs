using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

/// <summary>
/// The whole local run in process mode: the real dotnet-vertex, the real published probe app, with no container
/// engine on PATH (the test gives the tool an empty PATH folder).
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class ProcessModeTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly LocalRunSetup _setup = new("proc");

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task A_primary_and_two_workers_find_each_other_by_cluster_spec_addresses_and_the_evaluator_is_not_in_tf_config()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(
            JobDocs.Pool(1, "--probe=exchange", $"--marker={_setup.Marker}").WithEnv("PROBE_GREETING", "hello"),
            JobDocs.Pool(2, "--probe=exchange", $"--marker={_setup.Marker}"),
            new(),
            JobDocs.Pool(1, "--probe=exchange", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Combine("obj", "vertex"));

        // The MSBuild targets pass both; without podman or docker on PATH the app runs as processes.
        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--image-archive", _setup.Temp.Combine("obj", "vertex", "image.tar.gz"));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("VertexTraining: mode: process, because no usable container engine: neither podman nor docker is on PATH", result.Output);
        Assert.Contains("[workerpool0-0] primary received: hello from workerpool1-0", result.Output);
        Assert.Contains("[workerpool0-0] primary received: hello from workerpool1-1", result.Output);
        Assert.Contains("[workerpool1-0] worker got: welcome workerpool1-0 from workerpool0-0", result.Output);
        Assert.Contains("[workerpool1-1] worker answered: ping from workerpool0-0", result.Output);
        Assert.Contains("[workerpool0-0] primary exchanged with 2 workers", result.Output);
        Assert.Contains("[workerpool3-0] evaluator tf_config roles=[chief,worker] task=evaluator clusterspec pools=[workerpool0,workerpool1,workerpool3]", result.Output);
        Assert.Contains("[workerpool1-1] probe task=workerpool1-1 role=Worker rank=2 world=3 trial=- local=True", result.Output);
        Assert.Contains("[workerpool0-0] probe env PROBE_GREETING=hello", result.Output);

        var job = RunAssertions.Job(_setup.Cli, result.Output);
        Assert.False(job.IsTuningJob);
        Assert.Equal(LocalJobStates.Succeeded, job.State);
        Assert.Equal("local/" + RunAssertions.JobIdIn(result.Output), job.CustomJob!.Name);
        Assert.NotNull(job.CustomJob.StartTime);
        Assert.NotNull(job.CustomJob.EndTime);
        Assert.Equal(4, job.CustomJob.JobSpec!.WorkerPoolSpecs!.Count);

        // The default run folder sits beside the request; everything of the run is in it.
        var folder = job.Record.Folder;
        Assert.Equal(_setup.Temp.Combine("obj", "vertex", "runs", RunAssertions.JobIdIn(result.Output)), folder.Root);
        Assert.Contains($"VertexTraining: job local/{job.Record.Id} SUCCEEDED", result.Output);
        Assert.Contains($"run folder: {folder.Root}", result.Output);
        Assert.Equal(["workerpool0-0", "workerpool1-0", "workerpool1-1", "workerpool3-0"], job.Record.Logs().Select(l => l.Task));
        Assert.Contains("worker answered: ping from workerpool0-0", File.ReadAllText(job.Record.Logs("workerpool1-1").Single().Path));
        Assert.All(["workerpool0-0", "workerpool1-0", "workerpool1-1", "workerpool3-0"],
            task => Assert.Equal($"written by {task}\n", File.ReadAllText(Path.Combine(folder.OutputsDirectory(null), "model", task + ".txt"))));
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [Fact]
    public async Task With_retries_disabled_a_failing_replica_fails_the_job_and_stops_the_others()
    {
        var app = await ProbeApp.AppAsync();
        var spec = JobDocs.Spec(
            JobDocs.Pool(1, "--probe=sleep", "--children=1", $"--marker={_setup.Marker}"),
            JobDocs.Pool(1, "--probe=exit", "--code=3", $"--marker={_setup.Marker}"));
        spec.Scheduling = new Core.Api.Scheduling { DisableRetries = true };
        var request = JobDocs.Custom(spec).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 1, result.All);
        Assert.Contains($"VertexTraining : error {DiagnosticCodes.ReplicaFailed}: The replica workerpool1-0 exited with a non-zero status of 3.", result.Error);
        Assert.Contains("VertexTraining: workerpool0-0: stopping", result.Output);
        var job = RunAssertions.Job(_setup.Cli, result.Output);
        Assert.Equal(LocalJobStates.Failed, job.State);
        Assert.Equal("The replica workerpool1-0 exited with a non-zero status of 3.", job.CustomJob!.Error!.Message);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [Fact]
    public async Task Parallel_trials_of_a_multi_replica_job_each_get_their_own_addresses()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(
                JobDocs.Pool(1, "--probe=exchange", $"--marker={_setup.Marker}"),
                JobDocs.Pool(1, "--probe=exchange", $"--marker={_setup.Marker}")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2)),
            maxTrials: 2, parallel: 2, maxFailed: 2).Save(_setup.Temp.Path);

        // Verbose: each replica's address is printed with its lines.
        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--verbose");

        Assert.DoesNotContain("Address already in use", result.All);
        Assert.Contains("primary exchanged with 1 workers", RunAssertions.TaskLog(_setup.Cli, result.Output, "trial-1-workerpool0-0"));
        Assert.Contains("primary exchanged with 1 workers", RunAssertions.TaskLog(_setup.Cli, result.Output, "trial-2-workerpool0-0"));
        var started = System.Text.RegularExpressions.Regex.Matches(result.Output, "VertexTraining: (trial-[12]-workerpool[01]-0): started at (\\S+)")
            .Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(4, started.Count);
        Assert.Equal(4, started.Distinct().Count());
    }

    [Fact]
    public async Task A_killed_build_takes_its_local_run_and_every_replica_with_it()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(
            JobDocs.Pool(1, "--probe=sleep", "--children=1", $"--marker={_setup.Marker}"),
            JobDocs.Pool(1, "--probe=sleep", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Path);

        using var build = _setup.Cli.StartUnderStandInBuild("local-run", "--request", request, "--app", app);
        await build.WaitForOutputAsync("[workerpool0-0] sleeping", RunTimeout);
        await build.WaitForOutputAsync("[workerpool1-0] sleeping", RunTimeout);
        var jobId = RunAssertions.JobIdIn(build.Output);
        Assert.NotEmpty(Leftovers.ProcessesWith(_setup.Marker));

        // SIGKILL: the stand-in build gets no chance to stop anything itself.
        build.Process.Kill();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var record = new LocalJobStore(_setup.Cli.JobIndex).Find("local/" + jobId)!;
        while (record.Read().State == LocalJobStates.Running && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }

        Assert.Equal(LocalJobStates.Cancelled, record.Read().State);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 15);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
        Assert.Empty(Leftovers.ProcessesWith(TestPaths.CliDll + " local-run --request " + request));
    }

    [Fact]
    public async Task The_timeout_of_the_job_is_enforced_and_nothing_keeps_running()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=sleep", "--children=2", $"--marker={_setup.Marker}")).WithTimeout("3s")).Save(_setup.Temp.Path);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 6, result.All);
        Assert.InRange(clock.Elapsed.TotalSeconds, 3, 60);
        Assert.Contains($"error {DiagnosticCodes.LocalJobTimedOut}: The job exceeded its timeout of 3s (VertexTimeout, scheduling.timeout) and was stopped.", result.Error);
        var job = RunAssertions.Job(_setup.Cli, result.Output);
        Assert.Equal(LocalJobStates.Failed, job.State);
        Assert.Equal(4, job.CustomJob!.Error!.Code);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [Fact]
    public async Task Ctrl_c_stops_every_trial_and_replica_including_their_children()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(
                JobDocs.Pool(1, "--probe=sleep", "--children=1", $"--marker={_setup.Marker}"),
                JobDocs.Pool(1, "--probe=sleep", "--children=1", $"--marker={_setup.Marker}")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3, 4)),
            maxTrials: 4, parallel: 2, maxFailed: 0).Save(_setup.Temp.Path);

        // Streamed (--verbose), to see every replica reach its sleep.
        using var running = _setup.Cli.Start("local-run", "--request", request, "--app", app, "--verbose");
        await running.WaitForOutputAsync("[trial-2-workerpool1-0] sleeping", RunTimeout);
        await running.WaitForOutputAsync("[trial-1-workerpool1-0] sleeping", RunTimeout);
        await running.WaitForOutputAsync("[trial-2-workerpool0-0] sleeping", RunTimeout);
        await running.WaitForOutputAsync("[trial-1-workerpool0-0] sleeping", RunTimeout);
        Assert.Equal(8, Leftovers.ProcessesWith(_setup.Marker).Count);

        running.Signal(Leftovers.SigInt);
        var exitCode = await running.WaitForExitAsync(RunTimeout);

        Assert.True(exitCode == 130, $"exit {exitCode}\n{running.Output}\n{running.Error}");
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
        var job = RunAssertions.Job(_setup.Cli, running.Output);
        Assert.Equal(LocalJobStates.Cancelled, job.State);
        Assert.Equal(1, job.TuningJob!.Error!.Code);
        Assert.Equal(2, job.TuningJob.Trials!.Count);
        Assert.All(job.TuningJob.Trials, t => Assert.Equal("Stopped: the job was cancelled.", t.InfeasibleReason));
    }

    [Fact]
    public async Task Trials_run_in_parallel_with_their_own_arguments_metric_files_and_folders_and_failing_or_silent_trials_are_infeasible()
    {
        var app = await ProbeApp.AppAsync();
        var study = JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3, 4, 5));
        study.MeasurementSelectionType = "BEST_MEASUREMENT";
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune", "--fail_x=2", "--silent_x=3", "--work_ms=1500", $"--marker={_setup.Marker}")),
            study, maxTrials: 6, parallel: 2, maxFailed: 3).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 0, result.All);
        var job = RunAssertions.Job(_setup.Cli, result.Output).TuningJob!;
        Assert.Equal(LocalJobStates.Succeeded, job.State);
        // The grid has five points, fewer than maxTrialCount: the job ends when it is exhausted.
        var trials = job.Trials!.OrderBy(t => int.Parse(t.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], trials.Select(t => t.Id));
        Assert.Equal([1.0, 2, 3, 4, 5], trials.Select(t => t.Parameters!.Single(p => p.ParameterId == "x").Value.GetDouble()));
        Assert.Equal(["SUCCEEDED", "INFEASIBLE", "INFEASIBLE", "SUCCEEDED", "SUCCEEDED"], trials.Select(t => t.State));
        Assert.StartsWith("Trial failed: The replica workerpool0-0 exited with a non-zero status of 42.", trials[1].InfeasibleReason);
        Assert.Equal("The trial reported no value of the metric 'score'.", trials[2].InfeasibleReason);
        // BEST_MEASUREMENT of the reports x, 10x, 5x.
        Assert.Equal([10.0, 40, 50], trials.Where(t => t.State == "SUCCEEDED").Select(t => t.FinalMeasurement!.Metrics!.Single().Value));
        Assert.Equal(2, trials[4].FinalMeasurement!.StepCount);
        Assert.Equal(3, trials[4].Measurements!.Count);

        // Two at a time: trial 2 started before trial 1 ended.
        Assert.True(string.CompareOrdinal(trials[1].StartTime, trials[0].EndTime) < 0, $"{trials[1].StartTime} vs {trials[0].EndTime}");

        // Each trial: --x=<value> after the pool's args, its own metric file and output folder.
        var record = RunAssertions.Job(_setup.Cli, result.Output).Record;
        Assert.Contains($"probe args=[--probe=tune --fail_x=2 --silent_x=3 --work_ms=1500 --marker={_setup.Marker} --x=4]", File.ReadAllText(record.Logs("trial-4").Single().Path));
        Assert.Contains("probe env CLOUD_ML_HP_METRIC_FILE=" + record.Folder.MetricFile("4", "workerpool0-0"), File.ReadAllText(record.Logs("trial-4").Single().Path));
        Assert.True(File.Exists(record.Folder.MetricFile("5", "workerpool0-0")));
        Assert.False(File.Exists(record.Folder.MetricFile("3", "workerpool0-0")));
        Assert.True(File.Exists(Path.Combine(record.Folder.OutputsDirectory("4"), "model", "workerpool0-0.txt")));
        Assert.Equal(5, record.Logs("workerpool0-0").Count);

        Assert.Contains($"warning {DiagnosticCodes.TrialReportedNoMetric}: Trial 3: The trial reported no value of the metric 'score'.", result.Error);
        // Both spend the failure budget, and both events say where the trial's output is.
        Assert.Contains($"VertexTraining: trial 3: failed: The trial reported no value of the metric 'score'. Its output: dotnet vertex logs local/{record.Id} --task trial-3 (files ", result.Output);
        Assert.Contains($"VertexTraining: trial 2: failed: The replica workerpool0-0 exited with a non-zero status of 42.", result.Output);
        Assert.Matches(@"VertexTraining: \*\s+5\s+SUCCEEDED\s+50\s+\S+s\s+x=5\n", result.Output);
        Assert.Matches(@"VertexTraining:\s+2\s+INFEASIBLE\s+\S+s\s+x=2\s+infeasible: Trial failed", result.Output);
        Assert.Contains("VertexTraining: Best trial: 5 (score = 50, goal MAXIMIZE)", result.Output);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    [Fact]
    public async Task A_declared_hyperparameter_the_trainer_never_reads_is_reported_once()
    {
        var app = await ProbeApp.AppAsync();
        // The probe reads --x but not --lr: every trial would run on the trainer's default learning rate.
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2), JobDocs.Discrete("lr", 0.1)),
            maxTrials: 2, parallel: 1, maxFailed: 0).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 0, result.All);
        var warning = Assert.Single(result.Error.Split('\n'), l => l.Contains($"warning {DiagnosticCodes.LocalHyperparameterNeverRead}:", StringComparison.Ordinal));
        Assert.Contains("was given the tuned hyperparameter 'lr' but never read it (it read ", warning);
        Assert.Contains("'x'", warning);
        Assert.DoesNotContain("'probe'", warning.Split("(it read")[0]);
    }

    [Fact]
    public async Task Trials_that_never_report_the_metric_spend_the_failure_budget()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=info", $"--marker={_setup.Marker}")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3, 4, 5, 6)),
            maxTrials: 6, parallel: 1, maxFailed: 2).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(result.ExitCode == 1, result.All);
        Assert.Contains($"error {DiagnosticCodes.TooManyFailedTrials}: 2 of 2 finished trials failed and VertexMaxFailedTrialCount is 2; the last failure: The trial reported no value of the metric 'score'.", result.Error);
        Assert.Equal(2, RunAssertions.Job(_setup.Cli, result.Output).TuningJob!.Trials!.Count);
    }

    [Fact]
    public async Task With_the_default_failure_budget_the_first_trial_failing_fails_the_job()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune", "--fail_x=1")),
            JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3)),
            maxTrials: 3, parallel: 1, maxFailed: 0).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--json");

        Assert.True(result.ExitCode == 1, result.All);
        using var summary = System.Text.Json.JsonDocument.Parse(result.Output);
        var root = summary.RootElement;
        Assert.Equal("JOB_STATE_FAILED", root.GetProperty("state").GetString());
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("process", root.GetProperty("mode").GetString());
        Assert.Equal(1, root.GetProperty("job").GetProperty("trials").GetArrayLength());
        Assert.StartsWith("1 of 1 finished trials failed and more than half of the finished trials failed", root.GetProperty("job").GetProperty("error").GetProperty("message").GetString());
        Assert.Contains($"error {DiagnosticCodes.TooManyFailedTrials}:", result.Error);
        // With --json the runner's lines go to stderr, so stdout is only the JSON; the failed trial says where its output is.
        var folder = RunAssertions.Folder(_setup.Cli, result.Error);
        var failed = Assert.Single(result.Error.Split('\n'), l => l.StartsWith("VertexTraining: trial 1: failed: ", StringComparison.Ordinal));
        Assert.StartsWith("VertexTraining: trial 1: failed: The replica workerpool0-0 exited with a non-zero status of 42.", failed);
        Assert.EndsWith($" Its output: dotnet vertex logs local/{RunAssertions.JobIdIn(result.Error)} --task trial-1 (files {folder.LogsDirectory}/trial-1-*.log)", failed);
        Assert.Contains("probe error: deliberate failure for x=1", File.ReadAllText(folder.LogFile("trial-1-workerpool0-0")));
        Assert.DoesNotContain("[trial-1-workerpool0-0]", result.Error);
    }

    [Fact]
    public async Task The_default_search_tunes_a_double_parameter_end_to_end()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune")),
            JobDocs.Study("score", "MINIMIZE", null, JobDocs.Double("x", 0.01, 10, "UNIT_LOG_SCALE"), JobDocs.Categorical("optimizer", "up", "down")),
            maxTrials: 6, parallel: 2, maxFailed: 0).Save(_setup.Temp.Path);

        var result = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--seed", "7");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("Default search (Gaussian-process Bayesian optimisation) (seed 7)", result.Output);
        var trials = RunAssertions.Job(_setup.Cli, result.Output).TuningJob!.Trials!;
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal("SUCCEEDED", t.State);
            var x = t.Parameters!.Single(p => p.ParameterId == "x").Value.GetDouble();
            Assert.InRange(x, 0.01, 10);
            var sign = t.Parameters!.Single(p => p.ParameterId == "optimizer").Value.GetString() == "down" ? -1 : 1;
            // LAST_MEASUREMENT of x, 10x, 5x.
            Assert.Equal(sign * 5 * x, t.FinalMeasurement!.Metrics!.Single().Value, 9);
        });
    }

    [Fact]
    public async Task Requested_gpus_do_not_trip_the_runtimes_gpu_check_unless_passed_through()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=gpu").WithGpu(1))).Save(_setup.Temp.Path);

        var plain = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);

        Assert.True(plain.ExitCode == 0, plain.All);
        Assert.Contains("[workerpool0-0] gpu check passed (requested 0)", plain.Output);
        Assert.Contains("GPUs: not passed (pass them with --gpus all, or -p:VertexLocalGpus=all through the build)", plain.Output);

        var passed = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--gpus", "all");
        if (VertexTraining.Runtime.GpuCheck.VisibleDeviceCount() is > 0)
        {
            Assert.True(passed.ExitCode == 0, passed.All);
            Assert.Contains("gpu check passed (requested 1)", passed.Output);
        }
        else
        {
            // No GPU here: with the request kept, the runtime fails fast, and so does the job.
            Assert.True(passed.ExitCode == 1, passed.All);
            Assert.Contains("1 GPU (NVIDIA_TESLA_T4) was requested through VERTEX_ACCELERATOR_COUNT", passed.Output);
        }
    }

    [Fact]
    public async Task A_cancel_request_from_elsewhere_cancels_the_job()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=sleep", $"--marker={_setup.Marker}"))).Save(_setup.Temp.Path);

        using var running = _setup.Cli.Start("local-run", "--request", request, "--app", app);
        await running.WaitForOutputAsync("[workerpool0-0] sleeping", RunTimeout);
        var record = new LocalJobStore(_setup.Cli.JobIndex).Find("local/" + RunAssertions.JobIdIn(running.Output))!;
        Assert.Equal(LocalJobStates.Running, record.Read().State);
        record.RequestCancel();
        var exitCode = await running.WaitForExitAsync(RunTimeout);

        Assert.True(exitCode == 5, $"exit {exitCode}\n{running.Output}\n{running.Error}");
        Assert.Equal(LocalJobStates.Cancelled, record.Read().State);
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }
}
