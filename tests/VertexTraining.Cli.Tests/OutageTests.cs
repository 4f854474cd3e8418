using System.Text.RegularExpressions;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>
/// A follower outlasts outages: minutes of 503s, refused connections or a failing token endpoint (in fake
/// time, the sum of the delays the CLI asked for) end with the job followed to its end, every line printed,
/// one "connection lost" and one "connection restored" line. Answers such as 404 still end the wait.
/// </summary>
public sealed class OutageTests
{
    private static readonly TimeSpan OutageStart = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OutageLength = TimeSpan.FromMinutes(5);

    private static readonly string[] Lines = ["[workerpool0-0] before 1", "[workerpool0-0] before 2", "[workerpool0-0] after 1", "[workerpool0-0] after 2"];

    // Two polls of lines, a long run of RUNNING polls that the outage swallows, then more lines and the end.
    private static FakeJob JobAcrossAnOutage(CliHarness cli)
    {
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");
        job.Script(
            new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "before 1")),
            new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "before 2")),
            new JobStep("JOB_STATE_RUNNING"),
            new JobStep("JOB_STATE_RUNNING"),
            new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "after 1")),
            new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "after 2")),
            new JobStep("JOB_STATE_SUCCEEDED"));
        return job;
    }

    private static bool InOutage(CliHarness cli) => cli.Elapsed >= OutageStart && cli.Elapsed < OutageStart + OutageLength;

    private static void AssertFollowedThroughTheOutage(CliHarness cli, CliResult result, int failedRequests)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Lines, result.OutLines.Where(l => l.StartsWith('[')));
        Assert.EndsWith("ended SUCCEEDED", result.OutLines[^1]);
        Assert.Matches(new Regex(@"^VertexTraining: connection lost, retrying since \d\d:\d\d:\d\d \(", RegexOptions.Multiline), result.StdErr);
        Assert.Single(Regex.Matches(result.StdErr, "connection lost"));
        Assert.Single(Regex.Matches(result.StdErr, "connection restored after"));
        Assert.True(cli.Elapsed > OutageStart + OutageLength, $"only {cli.Elapsed} of fake time passed");
        Assert.True(failedRequests > 30, $"only {failedRequests} requests failed: the outage did not last");
        // Backoff grows but never beyond the 60 s cap (45 s with the random source pinned at 0.5).
        Assert.Contains(TimeSpan.FromSeconds(45), cli.RetryDelays);
        Assert.All(cli.RetryDelays, d => Assert.True(d <= TimeSpan.FromSeconds(60), $"{d} exceeds the cap"));
    }

    [Fact]
    public async Task Wait_follows_through_minutes_of_503s_and_exits_0_with_every_line()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = JobAcrossAnOutage(cli);
        var failed = 0;
        cli.Server.Inject(new Fault
        {
            Matches = r => InOutage(cli) && Interlocked.Increment(ref failed) > 0,
            Kind = FaultKind.Status,
            Status = 503,
            StatusName = "UNAVAILABLE",
            Message = "The service is currently unavailable.",
            Times = int.MaxValue,
        });

        var result = await cli.RunAsync("wait", job.Name);

        AssertFollowedThroughTheOutage(cli, result, failed);
        Assert.Contains("503 UNAVAILABLE", result.StdErr);
    }

    [Fact]
    public async Task Logs_follow_rides_out_refused_connections()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = JobAcrossAnOutage(cli);
        var down = false;
        cli.OnTimePassed = async _ =>
        {
            if (InOutage(cli) != down)
            {
                down = !down;
                await (down ? cli.Server.GoDownAsync() : cli.Server.ComeBackAsync());
            }
        };

        var result = await cli.RunAsync("logs", job.Name, "--follow");

        var refused = cli.RetryDelays.Count;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Lines, result.OutLines);
        Assert.Contains("connection lost, retrying since", result.StdErr);
        Assert.Single(Regex.Matches(result.StdErr, "connection restored after"));
        Assert.True(cli.Elapsed > OutageStart + OutageLength && refused > 30, $"{refused} retries in {cli.Elapsed}");
        Assert.Contains("Could not reach Vertex AI", result.StdErr);
    }

    [Fact]
    public async Task Submit_wait_rides_out_a_token_endpoint_outage()
    {
        await using var cli = await CliHarness.StartAsync();
        // Tokens that are always due for refresh: every API call goes to the token endpoint first.
        // 502, not 503: Google.Apis.Auth repeats a 503 itself in real time, which would make minutes of fake time slow.
        cli.Server.OAuth.TokenLifetimeSeconds = 1;
        var failed = 0;
        cli.Server.Inject(new Fault
        {
            Matches = r => r.Path == "/token" && InOutage(cli) && Interlocked.Increment(ref failed) > 0,
            Kind = FaultKind.Status,
            Status = 502,
            StatusName = "UNAVAILABLE",
            Message = "Token service unavailable.",
            Times = int.MaxValue,
        });
        var document = cli.WriteDocument(CliHarness.CustomJobDocument());
        cli.OnPoll = poll =>
        {
            if (poll == 1)
            {
                var job = Assert.Single(cli.Server.Jobs);
                job.Script(
                    new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "before 1")),
                    new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "before 2")),
                    new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "after 1")),
                    new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "after 2")),
                    new JobStep("JOB_STATE_SUCCEEDED"));
            }

            return Task.CompletedTask;
        };

        var result = await cli.RunAsync("submit", "--request", document, "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region, "--wait");

        AssertFollowedThroughTheOutage(cli, result, failed);
        Assert.Contains(DiagnosticCodes.TokenEndpointUnavailable, result.StdErr);
        Assert.DoesNotContain("create a new key", result.StdErr);
    }

    [Fact]
    public async Task Wait_rides_out_more_timeouts_than_one_call_retries()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Retry = new Core.Cloud.RetryPolicy { RequestTimeout = TimeSpan.FromMilliseconds(200), Delay = cli.Retry.Delay, NextRandom = cli.Retry.NextRandom };
        var job = JobAcrossAnOutage(cli);
        cli.OnPoll = poll =>
        {
            if (poll == 2)
            {
                // Fifteen reads of the job that never answer in time: more than one call's six attempts.
                cli.Server.Inject(new Fault { Matches = r => r.Method == "GET" && r.Path.EndsWith(job.Id, StringComparison.Ordinal), Kind = FaultKind.Slow, Delay = TimeSpan.FromSeconds(5), Times = 15 });
            }

            return Task.CompletedTask;
        };

        var result = await cli.RunAsync("wait", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Lines, result.OutLines.Where(l => l.StartsWith('[')));
        Assert.Single(Regex.Matches(result.StdErr, "connection lost, retrying since"));
        Assert.Contains("no response (timed out)", result.StdErr);
        Assert.Single(Regex.Matches(result.StdErr, "connection restored after"));
    }

    [Fact]
    public async Task Ctrl_C_during_an_outage_says_how_to_reattach_and_cancel()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = JobAcrossAnOutage(cli);
        using var interrupt = new CancellationTokenSource();
        cli.Server.Inject(new Fault { Matches = _ => InOutage(cli), Kind = FaultKind.Status, Status = 503, Times = int.MaxValue });
        cli.OnTimePassed = now =>
        {
            if (now > OutageStart + TimeSpan.FromMinutes(2))
            {
                interrupt.Cancel();
            }

            return Task.CompletedTask;
        };

        var result = await cli.RunAsync(["wait", job.Name], interrupt.Token);

        Assert.True(result.ExitCode == ExitCodes.Interrupted, result.ToString());
        Assert.Contains("connection lost, retrying since", result.StdErr);
        Assert.Contains($"re-attach with: dotnet vertex wait {job.Name}", result.StdErr);
        Assert.Contains($"cancel it with: dotnet vertex cancel {job.Name}", result.StdErr);
    }

    [Theory]
    [InlineData(404, "NOT_FOUND", DiagnosticCodes.ApiNotFound)]
    [InlineData(403, "PERMISSION_DENIED", DiagnosticCodes.ApiPermissionDenied)]
    [InlineData(400, "INVALID_ARGUMENT", DiagnosticCodes.ApiInvalidArgument)]
    public async Task An_answer_that_repeating_cannot_change_still_ends_the_wait(int status, string statusName, string code)
    {
        await using var cli = await CliHarness.StartAsync();
        var job = JobAcrossAnOutage(cli);
        cli.OnPoll = poll =>
        {
            if (poll == 2)
            {
                cli.Server.FailNext("GET", "/customJobs/" + job.Id, status, statusName, "Injected.", times: 100);
            }

            return Task.CompletedTask;
        };

        var result = await cli.RunAsync("wait", job.Name);

        Assert.True(result.ExitCode == ExitCodes.ApiError, result.ToString());
        Assert.Contains($"error {code}: Vertex AI returned {status} {statusName}", result.StdErr);
        Assert.DoesNotContain("connection lost", result.StdErr);
        Assert.Empty(cli.RetryDelays);
    }
}
