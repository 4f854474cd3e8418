using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

/// <summary>
/// status, trials, logs, wait, cancel and list on local jobs (<c>local/&lt;id&gt;</c>): the real dotnet-vertex reading
/// what a real local-run (process mode, the probe app) recorded. Any attempt to reach Google would fail: there are
/// no credentials and the API endpoint is a closed loopback port.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class LocalJobCommandsTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly LocalRunSetup _setup = new("cmds");

    public LocalJobCommandsTests()
    {
        _setup.Cli
            .With("GOOGLE_APPLICATION_CREDENTIALS", _setup.Temp.Combine("no-such-credentials.json"))
            .With("CLOUDSDK_CONFIG", _setup.Temp.Combine("no-gcloud"))
            .With("GOOGLE_CLOUD_PROJECT", null)
            .With("VERTEX_API_ENDPOINT", "http://127.0.0.1:9")
            .With("VERTEX_LOGGING_ENDPOINT", "http://127.0.0.1:9");
    }

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task Status_trials_logs_wait_and_list_show_a_finished_local_tuning_job_like_a_cloud_one()
    {
        var app = await ProbeApp.AppAsync();
        var study = JobDocs.Study("score", "MAXIMIZE", "GRID_SEARCH", JobDocs.Discrete("x", 1, 2, 3));
        study.MeasurementSelectionType = "BEST_MEASUREMENT";
        var request = JobDocs.Tuning(
            JobDocs.Spec(JobDocs.Pool(1, "--probe=tune", "--fail_x=2", $"--marker={_setup.Marker}")),
            study, maxTrials: 3, parallel: 1, maxFailed: 2, name: "cmds-tuning").Save(_setup.Temp.Path);
        var run = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);
        Assert.True(run.ExitCode == 0, run.All);
        var name = "local/" + RunAssertions.JobIdIn(run.Output);
        var record = RunAssertions.Job(_setup.Cli, run.Output).Record;

        var status = await Run("status", name);
        Assert.Equal(
            [
                $"Name:         {name}",
                "Display name: cmds-tuning",
                "Kind:         HyperparameterTuningJob",
                "State:        SUCCEEDED",
            ],
            status.Output.Split('\n')[..4]);
        Assert.Matches(@"\nCreated:\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\nStarted:\s+\S+ \S+\nEnded:\s+\S+ \S+\nDuration:\s+\S+s\n", status.Output);
        Assert.Contains("\nTrials:       2 succeeded, 0 running, 1 failed of 3\n", status.Output);
        // Trial 3 reported 10 * 3 as its best measurement (the probe reports x, 10x, 5x).
        Assert.Contains("\nBest trial:   3 (score = 30, MAXIMIZE)\n", status.Output);
        Assert.EndsWith($"\nRun folder:   {record.RunDirectory}\n", status.Output);

        // --json is the resource the run folder records.
        var statusJson = JsonNode.Parse((await Run("status", name, "--json")).Output)!;
        Assert.Equal(name, statusJson["name"]!.GetValue<string>());
        Assert.Equal(LocalJobStates.Succeeded, statusJson["state"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(record.Folder.JobFile)), statusJson));

        // trials prints the very table local-run printed at its end: one rendering.
        var trials = await Run("trials", name);
        var tableInRun = Regex.Matches(run.Output, @"^VertexTraining: (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value)
            .SkipWhile(l => l != "trials:").Skip(1).TakeWhile(l => !l.StartsWith("Best trial", StringComparison.Ordinal)).ToList();
        var trialLines = trials.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(tableInRun, trialLines[..^2]);
        Assert.Matches(@"^\s+TRIAL\s+STATE\s+SCORE\s+DURATION\s+PARAMETERS\s+NOTE$", trialLines[0]);
        Assert.Matches(@"^\s+1\s+SUCCEEDED\s+10\s+\S+s\s+x=1$", trialLines[1]);
        Assert.Matches(@"^\s+2\s+INFEASIBLE\s+\S+s\s+x=2\s+infeasible: Trial failed: The replica workerpool0-0 exited with a non-zero status of 42", trialLines[2]);
        Assert.Matches(@"^\*\s+3\s+SUCCEEDED\s+30\s+\S+s\s+x=3$", trialLines[3]);
        Assert.Equal("Trials: 2 succeeded, 0 running, 1 failed of 3", trialLines[^2]);
        Assert.Equal("Best trial: 3 (score = 30, goal MAXIMIZE)", trialLines[^1]);
        var trialsJson = JsonNode.Parse((await Run("trials", name, "--json")).Output)!;
        Assert.Equal("3", trialsJson["bestTrialId"]!.GetValue<string>());
        Assert.Equal(["1", "2", "3"], trialsJson["trials"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));

        // logs: every line prefixed with its task, as in the cloud; --task trial-2 selects that trial's replica.
        var logs = (await Run("logs", name)).Output.TrimEnd('\n').Split('\n');
        Assert.All(logs, l => Assert.Matches(@"^\[trial-[123]-workerpool0-0\] ", l));
        Assert.Contains("[trial-3-workerpool0-0] reported score for x=3", logs);
        Assert.Contains("[trial-2-workerpool0-0] probe error: deliberate failure for x=2", logs);
        Assert.Equal(
            File.ReadAllLines(record.Folder.LogFile("trial-2-workerpool0-0")).Select(l => "[trial-2-workerpool0-0] " + l),
            (await Run("logs", name, "--task", "trial-2")).Output.TrimEnd('\n').Split('\n'));
        var jsonLine = JsonNode.Parse((await Run("logs", name, "--task", "trial-3", "--json")).Output.Split('\n')[0])!;
        Assert.Equal("trial-3-workerpool0-0", jsonLine["task"]!.GetValue<string>());
        Assert.Equal(
            File.ReadAllLines(record.Folder.LogFile("trial-2-workerpool0-0")).Length,
            (await Run("logs", name, "--task", "trial-2-workerpool0-0")).Output.TrimEnd('\n').Split('\n').Length);
        var noTrial = await _setup.Cli.RunAsync(CommandTimeout, "logs", name, "--task", "trial-9");
        Assert.True(noTrial.ExitCode == 2, noTrial.All);
        Assert.Contains($"error {DiagnosticCodes.InvalidCommandLine}: --task 'trial-9': the job has no trial 9; its trials are trial-1, trial-2, trial-3", noTrial.Error);
        // The id alone, without local/: the error points at the local job, not only at a cloud project.
        var bare = await _setup.Cli.RunAsync(CommandTimeout, "status", name["local/".Length..]);
        Assert.True(bare.ExitCode == 2, bare.All);
        Assert.Contains($"A local job has this id: use {name}.", bare.Error);

        // wait on an ended job: its end at once, with the exit code of its final state.
        var wait = await Run("wait", name, "--no-logs");
        Assert.Equal($"VertexTraining: trials 2 succeeded, 0 running, 1 failed of 3\nVertexTraining: {name} ended SUCCEEDED\n", wait.Output);

        // cancel on an ended job: nothing to do.
        var cancel = await Run("cancel", name);
        Assert.Contains($"{name} already ended SUCCEEDED; nothing to cancel.", cancel.Error);
        Assert.False(File.Exists(record.Folder.CancelRequestFile));

        var list = await Run("list", "--local");
        Assert.Matches(@"^ID\s+KIND\s+STATE\s+CREATED\s+DISPLAY NAME\n", list.Output);
        Assert.Matches($@"\n{Regex.Escape(name)}\s+tuning\s+SUCCEEDED\s+\S+ \S+\s+cmds-tuning\n", list.Output);
        Assert.Equal($"No local jobs in {_setup.Cli.JobIndex}.\n", (await Run("list", "--local", "--kind", "custom")).Output);
        Assert.Equal($"No local jobs in {_setup.Cli.JobIndex}.\n", (await Run("list", "--local", "--state", "failed")).Output);
        Assert.Equal([name], JsonNode.Parse((await Run("list", "--local", "--json", "--display-name", "cmds-*")).Output)!.AsArray().Select(j => j!["name"]!.GetValue<string>()));

        var help = await _setup.Cli.RunAsync(CommandTimeout, "list", "--help");
        Assert.Contains("--local", help.Output);
    }

    [Fact]
    public async Task An_unknown_local_job_is_VTX5014_without_asking_google()
    {
        var result = await _setup.Cli.RunAsync(CommandTimeout, "status", "local/20200101-000000-abcd");

        Assert.True(result.ExitCode == 6, result.All);
        Assert.Contains($"error {DiagnosticCodes.LocalJobNotFound}: No local job 'local/20200101-000000-abcd' in the local job index {_setup.Cli.JobIndex}", result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Wait_and_logs_follow_a_running_local_job_that_cancel_stops()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(
            JobDocs.Pool(1, "--probe=sleep", $"--marker={_setup.Marker}"),
            JobDocs.Pool(1, "--probe=sleep", $"--marker={_setup.Marker}")), name: "cmds-sleep").Save(_setup.Temp.Path);
        using var localRun = _setup.Cli.Start("local-run", "--request", request, "--app", app);
        await localRun.WaitForOutputAsync("[workerpool0-0] sleeping", RunTimeout);
        await localRun.WaitForOutputAsync("[workerpool1-0] sleeping", RunTimeout);
        var name = "local/" + RunAssertions.JobIdIn(localRun.Output);

        var status = await Run("status", name);
        Assert.Contains("\nState:        RUNNING\n", status.Output);
        Assert.DoesNotContain("Ended:", status.Output);

        using var wait = _setup.Cli.Start("wait", name);
        using var follow = _setup.Cli.Start("logs", name, "--follow", "--task", "workerpool1-0");
        await wait.WaitForOutputAsync($"VertexTraining: {name} is RUNNING", CommandTimeout);
        await wait.WaitForOutputAsync("[workerpool0-0] sleeping", CommandTimeout);
        await follow.WaitForOutputAsync("[workerpool1-0] sleeping", CommandTimeout);

        var list = await Run("list", "--local", "--state", "running");
        Assert.Matches($@"\n{Regex.Escape(name)}\s+custom\s+RUNNING\s", list.Output);

        var cancel = await Run("cancel", name);
        Assert.Matches($@"^VertexTraining: cancellation requested for {Regex.Escape(name)} \(now (RUNNING|CANCELLING|CANCELLED)\)\n$", cancel.Output);

        // The runner stops the job; every follower ends with the cancelled job's exit code.
        Assert.Equal(5, await localRun.WaitForExitAsync(RunTimeout));
        var waitExit = await wait.WaitForExitAsync(CommandTimeout);
        Assert.True(waitExit == 5, $"exit {waitExit}\n{wait.Output}\n{wait.Error}");
        Assert.Contains($"VertexTraining: {name} ended CANCELLED", wait.Output);
        Assert.Contains($"error {DiagnosticCodes.JobEndedCancelled}: Job {name} ended CANCELLED", wait.Error);
        Assert.Equal(5, await follow.WaitForExitAsync(CommandTimeout));
        Assert.DoesNotContain("[workerpool0-0]", follow.Output);
        Assert.DoesNotContain("VertexTraining:", follow.Output);

        var json = JsonNode.Parse((await Run("status", name, "--json", "--project", "unused")).Output)!;
        Assert.Equal(LocalJobStates.Cancelled, json["state"]!.GetValue<string>());
        await RunAssertions.NoProcessesLeftWith(_setup.Marker);
    }

    private async Task<Commands.Result> Run(params string[] arguments)
    {
        var result = await _setup.Cli.RunAsync(CommandTimeout, arguments);
        Assert.True(result.ExitCode == 0, $"{string.Join(" ", arguments)} exited {result.ExitCode}\n{result.All}");
        return result;
    }
}
