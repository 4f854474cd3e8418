using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary><c>wait</c> and <c>logs</c>: states as they change, each log line once with its task, exit code from the final state.</summary>
public sealed class FollowTests
{
    private static FakeJob ScriptedJob(CliHarness cli, string finalState)
    {
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()));
        var first = cli.Server.Clock.Next();
        var shared = cli.Server.Clock.Next();
        job.Script(
            new JobStep("JOB_STATE_PENDING"),
            new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "loading data"), ("workerpool1-0", "worker ready")) { Timestamps = [first, shared] },
            // Written in the same microsecond as the previous poll's last line: the reader re-reads that instant and must skip what it saw.
            new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "epoch 1 loss=0.52\nepoch 2 loss=0.31")) { Timestamps = [shared] },
            new JobStep(finalState, ("workerpool0-0", "saved model")) with
            {
                Mutate = r =>
                {
                    if (finalState == "JOB_STATE_FAILED")
                    {
                        r["error"] = new JsonObject { ["code"] = 13, ["message"] = "Internal error occurred." };
                    }
                },
            });
        return job;
    }

    [Fact]
    public async Task Wait_streams_states_and_log_lines_in_order_once_each_and_exits_0_on_success()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = ScriptedJob(cli, "JOB_STATE_SUCCEEDED");

        var result = await cli.RunAsync("wait", job.Name, "--poll-interval", "2.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            $"VertexTraining: {job.Id} is PENDING",
            $"VertexTraining: {job.Id} is RUNNING",
            "[workerpool0-0] loading data",
            "[workerpool1-0] worker ready",
            "[workerpool0-0] epoch 1 loss=0.52",
            "[workerpool0-0] epoch 2 loss=0.31",
            "[workerpool0-0] saved model",
            $"VertexTraining: {job.Id} ended SUCCEEDED",
        ], result.OutLines);
        Assert.All(cli.PollDelays, d => Assert.Equal(TimeSpan.FromSeconds(2.5), d));

        var logQueries = cli.Server.Requests.Where(r => r.Path == "/v2/entries:list").Select(r => CliHarness.Parse(r.Body)).ToList();
        Assert.Equal($"resource.type=\"ml_job\" AND resource.labels.job_id=\"{job.Id}\"", logQueries[0]["filter"]!.GetValue<string>());
        Assert.Contains(logQueries.Skip(1), q => q["filter"]!.GetValue<string>().Contains(" AND timestamp>=\"", StringComparison.Ordinal));
        Assert.All(logQueries, q => Assert.Equal($"projects/{FakeGoogleCloud.ProjectNumber}", q["resourceNames"]![0]!.GetValue<string>()));
        Assert.All(logQueries, q => Assert.Equal("timestamp asc", q["orderBy"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("JOB_STATE_FAILED", ExitCodes.JobFailed, DiagnosticCodes.JobEndedFailed, "ended FAILED: Internal error occurred.")]
    [InlineData("JOB_STATE_CANCELLED", ExitCodes.JobCancelled, DiagnosticCodes.JobEndedCancelled, "ended CANCELLED: CANCELED")]
    [InlineData("JOB_STATE_EXPIRED", ExitCodes.JobFailed, DiagnosticCodes.JobEndedOtherwise, "ended EXPIRED")]
    public async Task Wait_exits_with_the_code_of_the_final_state(string finalState, int exitCode, string code, string message)
    {
        await using var cli = await CliHarness.StartAsync();
        var job = ScriptedJob(cli, finalState);

        var result = await cli.RunAsync("wait", job.Name);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains($"error {code}: Job {job.Name} {message}", result.StdErr);
        Assert.Contains("[workerpool0-0] saved model", result.StdOut);
    }

    [Fact]
    public async Task Wait_json_prints_only_the_final_job_on_stdout()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = ScriptedJob(cli, "JOB_STATE_SUCCEEDED");

        var result = await cli.RunAsync("wait", job.Name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("JOB_STATE_SUCCEEDED", CliHarness.Parse(result.StdOut)["state"]!.GetValue<string>());
        Assert.Contains("[workerpool1-0] worker ready", result.StdErr);
    }

    [Fact]
    public async Task Interrupting_wait_leaves_the_job_running_and_says_how_to_reattach_or_cancel()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = ScriptedJob(cli, "JOB_STATE_SUCCEEDED");
        using var interrupt = new CancellationTokenSource();
        cli.OnPoll = poll =>
        {
            if (poll == 2)
            {
                interrupt.Cancel();
            }

            return Task.CompletedTask;
        };

        var result = await cli.RunAsync(["wait", job.Name], interrupt.Token);

        Assert.True(result.ExitCode == ExitCodes.Interrupted, result.ToString());
        Assert.Contains($"stopped following; the job keeps running on Vertex AI: {job.Name}", result.StdErr);
        Assert.Contains($"re-attach with: dotnet vertex wait {job.Name}", result.StdErr);
        Assert.Contains($"cancel it with: dotnet vertex cancel {job.Name}", result.StdErr);
        Assert.Equal("JOB_STATE_RUNNING", job.State);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.EndsWith(":cancel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wait_on_a_tuning_job_reports_trial_progress()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("hyperparameterTuningJobs", CliHarness.Parse(CliHarness.TuningJobDocument().ToJson()));
        job.Script(
            new JobStep("JOB_STATE_RUNNING") { Mutate = r => r["trials"] = TrialsTests.Trials(("1", "ACTIVE", null), ("2", "ACTIVE", null)) },
            new JobStep("JOB_STATE_RUNNING") { Mutate = r => r["trials"] = TrialsTests.Trials(("1", "SUCCEEDED", 0.81), ("2", "INFEASIBLE", null)) },
            new JobStep("JOB_STATE_SUCCEEDED") { Mutate = r => r["trials"] = TrialsTests.Trials(("1", "SUCCEEDED", 0.81), ("2", "INFEASIBLE", null), ("3", "SUCCEEDED", 0.9), ("4", "SUCCEEDED", 0.7)) });

        var result = await cli.RunAsync("wait", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            $"VertexTraining: {job.Id} is RUNNING",
            "VertexTraining: trials 0 succeeded, 2 running, 0 failed of 4",
            "VertexTraining: trials 1 succeeded, 0 running, 1 failed of 4",
            "VertexTraining: trials 3 succeeded, 0 running, 1 failed of 4",
            $"VertexTraining: {job.Id} ended SUCCEEDED",
        ], result.OutLines);
    }

    [Fact]
    public async Task Logs_prints_every_line_across_pages_and_filters_by_task()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Server.MaxLogPageSize = 2;
        cli.Server.EmptyLogPages = 1;
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_SUCCEEDED");
        var other = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument("other").ToJson()), "JOB_STATE_RUNNING");
        for (var i = 1; i <= 5; i++)
        {
            job.AddLog(i % 2 == 1 ? "workerpool0-0" : "workerpool1-0", $"line {i}", cli.Server.Clock.Next(), asJsonPayload: i == 3);
            other.AddLog("workerpool0-0", $"other {i}", cli.Server.Clock.Next());
        }

        var all = await cli.RunAsync("logs", job.Name);
        var primary = await cli.RunAsync("logs", job.Name, "--task", "workerpool0-0", "--json");

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(["[workerpool0-0] line 1", "[workerpool1-0] line 2", "[workerpool0-0] line 3", "[workerpool1-0] line 4", "[workerpool0-0] line 5"], all.OutLines);
        Assert.True(primary.ExitCode == 0, primary.ToString());
        Assert.Equal(["line 1", "line 3", "line 5"], primary.OutLines.Select(l => CliHarness.Parse(l)["text"]!.GetValue<string>()));
        Assert.All(primary.OutLines, l => Assert.Equal("workerpool0-0", CliHarness.Parse(l)["task"]!.GetValue<string>()));
        Assert.Contains(cli.Server.Requests, r => r.Path == "/v2/entries:list"
            && CliHarness.Parse(r.Body)["filter"]!.GetValue<string>() == $"resource.type=\"ml_job\" AND resource.labels.job_id=\"{job.Id}\" AND resource.labels.task_name=\"workerpool0-0\"");
    }

    [Fact]
    public async Task Logs_of_a_task_the_job_does_not_have_is_a_usage_error_naming_its_tasks()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_SUCCEEDED");
        job.AddLog("workerpool0-0", "line 1", cli.Server.Clock.Next());

        var result = await cli.RunAsync("logs", job.Name, "--task", "worker0");

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains($"error {DiagnosticCodes.InvalidCommandLine}: --task 'worker0': the job has no such task; its tasks are workerpool0-0", result.StdErr);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path == "/v2/entries:list");
    }

    [Fact]
    public async Task Logs_follow_keeps_reading_until_the_job_ends()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = ScriptedJob(cli, "JOB_STATE_SUCCEEDED");

        var result = await cli.RunAsync("logs", job.Name, "--follow");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["[workerpool0-0] loading data", "[workerpool1-0] worker ready", "[workerpool0-0] epoch 1 loss=0.52", "[workerpool0-0] epoch 2 loss=0.31", "[workerpool0-0] saved model"], result.OutLines);
    }

    [Fact]
    public async Task Without_permission_to_read_logs_wait_warns_once_and_still_follows_the_state()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = ScriptedJob(cli, "JOB_STATE_SUCCEEDED");
        cli.Server.FailNext("POST", "/v2/entries:list", 403, "PERMISSION_DENIED", "Permission 'logging.logEntries.list' denied on resource (or it may not exist).", times: 100);

        var result = await cli.RunAsync("wait", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"VertexTraining: {job.Id} is PENDING", $"VertexTraining: {job.Id} is RUNNING", $"VertexTraining: {job.Id} ended SUCCEEDED"], result.OutLines);
        var warning = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"VertexTraining : warning {DiagnosticCodes.ApiPermissionDenied}: Cloud Logging returned 403 PERMISSION_DENIED: Permission 'logging.logEntries.list' denied", warning);
        Assert.Contains("following the job's state without its log", warning);
        Assert.Single(cli.Server.Requests, r => r.Path == "/v2/entries:list");
    }

    [Fact]
    public async Task A_log_read_that_keeps_failing_transiently_does_not_stop_the_wait()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = ScriptedJob(cli, "JOB_STATE_SUCCEEDED");
        cli.Server.FailNext("POST", "/v2/entries:list", 503, "UNAVAILABLE", "Logging backend unavailable.", times: 6);

        var result = await cli.RunAsync("wait", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"warning {DiagnosticCodes.ApiRetriesExhausted}: Cloud Logging kept failing after 6 attempts", result.StdErr);
        Assert.Contains("will try again at the next poll", result.StdErr);
        // The lines are read once the service recovers, none lost and none twice.
        Assert.Equal(["[workerpool0-0] loading data", "[workerpool1-0] worker ready", "[workerpool0-0] epoch 1 loss=0.52", "[workerpool0-0] epoch 2 loss=0.31", "[workerpool0-0] saved model"],
            result.OutLines.Where(l => l.StartsWith('[')));
    }

    [Fact]
    public async Task Wait_prints_every_entry_though_every_7th_reaches_Cloud_Logging_15_s_late()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");
        var start = new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);
        var visibleAt = new ConcurrentDictionary<string, DateTimeOffset>();
        cli.Server.LogEntryVisible = e => !visibleAt.TryGetValue(e["insertId"]!.GetValue<string>(), out var at) || at <= start + cli.Elapsed;
        const int total = 121;
        var written = 0;
        // The job writes a line every 2.5 s of fake time; every 7th is received 15 s after its timestamp.
        cli.OnPoll = _ =>
        {
            while (written < total && written * 2.5 < cli.Elapsed.TotalSeconds)
            {
                var timestamp = start + TimeSpan.FromSeconds(written * 2.5);
                job.AddLog("workerpool0-0", $"line {++written}", timestamp);
                if (written % 7 == 0)
                {
                    var entry = job.LogEntries[^1];
                    visibleAt[entry["insertId"]!.GetValue<string>()] = timestamp.AddSeconds(15);
                    entry["receiveTimestamp"] = FakeClock.Format(timestamp.AddSeconds(15));
                }

                if (written == total)
                {
                    job.Script(new JobStep("JOB_STATE_SUCCEEDED"));
                }
            }

            return Task.CompletedTask;
        };

        var result = await cli.RunAsync("wait", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        var printed = result.OutLines.Where(l => l.StartsWith('[')).ToList();
        Assert.Equal(Enumerable.Range(1, total).Select(i => $"[workerpool0-0] line {i}").Order(), printed.Order());
        // Late lines appear when they arrive, after newer ones.
        Assert.NotEqual(printed.Order(), printed);
        // Each read starts 60 s behind the newest entry seen.
        var since = cli.Server.Requests.Where(r => r.Path == "/v2/entries:list").Select(r => CliHarness.Parse(r.Body)["filter"]!.GetValue<string>())
            .Select(f => System.Text.RegularExpressions.Regex.Match(f, "timestamp>=\"([^\"]+)\"")).Where(m => m.Success)
            .Select(m => DateTimeOffset.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(since, t => t == start + TimeSpan.FromSeconds(120 * 2.5) - TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task After_the_end_an_hour_long_poll_interval_does_not_delay_the_last_log_reads()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = ScriptedJob(cli, "JOB_STATE_SUCCEEDED");

        var result = await cli.RunAsync("wait", job.Name, "--poll-interval", "3600");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[workerpool0-0] saved model", result.OutLines);
        Assert.Equal(TimeSpan.FromHours(1), cli.PollDelays[0]);
        Assert.Equal(TimeSpan.FromSeconds(10), cli.PollDelays[^1]);
    }

    [Fact]
    public async Task The_log_reader_remembers_only_the_ids_inside_its_overlap_window()
    {
        await using var server = await FakeGoogleCloud.StartAsync();
        var job = server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");
        var token = server.OAuth.IssueTestToken();
        using var http = new HttpClient();
        var logging = new CloudLoggingClient(new CloudHttpClient(http, server.BaseUri, new FixedToken(token), new RetryPolicy(), "Cloud Logging"));
        var reader = new JobLogReader(logging, FakeGoogleCloud.ProjectId, job.Id);
        var start = new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);
        var printed = 0;

        // Ten minutes of a line a second, read every 10 s: 600 lines, each once, and never more than the window's ids held.
        for (var second = 0; second < 600; second++)
        {
            job.AddLog("workerpool0-0", $"line {second}", start.AddSeconds(second));
            if (second % 10 == 9)
            {
                printed += (await reader.ReadNewAsync(CancellationToken.None)).Count;
                Assert.InRange(reader.RememberedIds, 1, 61);
            }
        }

        Assert.Equal(600, printed);
    }

    private sealed class FixedToken(string token) : IAccessTokenSource
    {
        public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult(token);
    }
}
