using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>Reads retry transient failures with backoff (or the service's RetryInfo); answers such as 404 are never retried.</summary>
public sealed class RetryTests
{
    private static FakeJob RunningJob(CliHarness cli) =>
        cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");

    [Fact]
    public async Task A_503_burst_is_retried_with_growing_jittered_backoff_then_succeeds()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        cli.Server.FailNext("GET", "/customJobs/" + job.Id, 503, "UNAVAILABLE", "The service is currently unavailable.", times: 3);

        var result = await cli.RunAsync("status", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("State:        RUNNING", result.StdOut);
        Assert.Equal(4, cli.Server.Requests.Count(r => r.Path.EndsWith("/customJobs/" + job.Id, StringComparison.Ordinal)));
        // Equal jitter with the random source pinned at 0.5: 3/4 of 1 s, 2 s, 4 s.
        Assert.Equal([TimeSpan.FromSeconds(0.75), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3)], cli.RetryDelays);
    }

    [Fact]
    public async Task A_429_with_RetryInfo_waits_exactly_the_delay_the_service_asked_for()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        cli.Server.FailNext("GET", "/customJobs/" + job.Id, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for aiplatform.googleapis.com/read_requests.", retryDelay: TimeSpan.FromSeconds(7.5));

        var result = await cli.RunAsync("status", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([TimeSpan.FromSeconds(7.5)], cli.RetryDelays);
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", DiagnosticCodes.ApiInvalidArgument)]
    [InlineData(403, "PERMISSION_DENIED", DiagnosticCodes.ApiPermissionDenied)]
    [InlineData(404, "NOT_FOUND", DiagnosticCodes.ApiNotFound)]
    [InlineData(409, "ABORTED", DiagnosticCodes.ApiConflict)]
    public async Task Client_errors_are_never_retried_and_carry_the_services_status_and_message(int status, string statusName, string code)
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        var message = $"Injected {statusName} for this test.";
        cli.Server.FailNext("GET", "/customJobs/" + job.Id, status, statusName, message, times: 10);

        var result = await cli.RunAsync("status", job.Name);

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains($"error {code}: Vertex AI returned {status} {statusName}: {message}", result.StdErr);
        Assert.Single(cli.Server.Requests, r => r.Path.EndsWith("/customJobs/" + job.Id, StringComparison.Ordinal));
        Assert.Empty(cli.RetryDelays);
    }

    [Fact]
    public async Task Cancel_is_retried_on_503_and_not_on_404()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        cli.Server.FailNext("POST", $"/customJobs/{job.Id}:cancel", 503, "UNAVAILABLE", "Try again.", times: 2);

        var result = await cli.RunAsync("cancel", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, cli.Server.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith(":cancel", StringComparison.Ordinal)));
        Assert.Contains($"VertexTraining: cancellation requested for {job.Name}", result.StdOut);
    }

    [Fact]
    public async Task A_persistent_503_gives_up_after_the_attempt_limit_with_VTX4007()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        cli.Server.FailNext("GET", "/customJobs/" + job.Id, 503, "UNAVAILABLE", "Backend down.", times: 100);

        var result = await cli.RunAsync("status", job.Name);

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ApiRetriesExhausted}: Vertex AI kept failing after 6 attempts; the last answer was 503 UNAVAILABLE: Backend down.", result.StdErr);
        Assert.Equal(6, cli.Server.Requests.Count(r => r.Path.EndsWith("/customJobs/" + job.Id, StringComparison.Ordinal)));
        Assert.Equal(5, cli.RetryDelays.Count);
    }

    [Fact]
    public async Task Malformed_json_slow_answers_and_dropped_connections_on_reads_are_retried()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Retry = new Core.Cloud.RetryPolicy { RequestTimeout = TimeSpan.FromMilliseconds(500), Delay = cli.Retry.Delay, NextRandom = cli.Retry.NextRandom };
        var job = RunningJob(cli);
        bool IsGet(RecordedRequest r) => r.Method == "GET" && r.Path.EndsWith("/customJobs/" + job.Id, StringComparison.Ordinal);
        cli.Server.Inject(new Fault { Matches = IsGet, Kind = FaultKind.MalformedJson });
        cli.Server.Inject(new Fault { Matches = IsGet, Kind = FaultKind.Slow, Delay = TimeSpan.FromSeconds(5) });
        cli.Server.Inject(new Fault { Matches = IsGet, Kind = FaultKind.ResetAfterHandling });

        var result = await cli.RunAsync("status", job.Name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(job.Name, CliHarness.Parse(result.StdOut)["name"]!.GetValue<string>());
        Assert.Equal(4, cli.Server.Requests.Count(IsGet));
        Assert.Equal(3, cli.RetryDelays.Count);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_VTX4009_after_retries()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Environment["VERTEX_API_ENDPOINT"] = $"http://127.0.0.1:{CliHarness.ClosedPort()}";

        var result = await cli.RunAsync("status", "projects/acme-ml/locations/us-central1/customJobs/1");

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ApiUnreachable}: Could not reach Vertex AI at 127.0.0.1 after 6 attempts", result.StdErr);
    }

    [Fact]
    public async Task A_401_on_a_token_not_yet_expired_gets_one_forced_refresh_and_a_retry()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        cli.Server.OAuth.RevokeNextIssued(1);

        var result = await cli.RunAsync("status", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("State:        RUNNING", result.StdOut);
        Assert.Equal(2, cli.Server.Requests.Count(r => r.Path == "/token"));
        var gets = cli.Server.Requests.Where(r => r.Path.EndsWith("/customJobs/" + job.Id, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, gets.Count);
        Assert.NotEqual(gets[0].Header("Authorization"), gets[1].Header("Authorization"));
    }

    [Fact]
    public async Task A_401_that_persists_after_the_refresh_is_VTX4003()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        cli.Server.OAuth.RevokeNextIssued(2);

        var result = await cli.RunAsync("status", job.Name);

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ApiUnauthenticated}: Vertex AI returned 401 UNAUTHENTICATED", result.StdErr);
        Assert.Equal(2, cli.Server.Requests.Count(r => r.Path == "/token"));
        Assert.Equal(2, cli.Server.Requests.Count(r => r.Path.EndsWith("/customJobs/" + job.Id, StringComparison.Ordinal)));
        Assert.Empty(cli.RetryDelays);
    }

    [Fact]
    public async Task A_503_burst_from_the_token_endpoint_is_retried()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        cli.Server.FailNext("POST", "/token", 503, "UNAVAILABLE", "Token service unavailable.", times: 2);

        var result = await cli.RunAsync("status", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        // Google.Apis.Auth repeats a 503 itself, and our retry covers what it gives up on.
        Assert.True(cli.Server.Requests.Count(r => r.Path == "/token") >= 3);
        Assert.DoesNotContain("VTX", result.StdErr);
    }

    [Fact]
    public async Task A_token_endpoint_that_stays_down_is_VTX3007_and_does_not_blame_the_key()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = RunningJob(cli);
        // Two attempts are enough to show the retry: each takes seconds, as Google.Apis.Auth repeats a 503 itself first.
        cli.Retry = new Core.Cloud.RetryPolicy { MaxAttempts = 2, RequestTimeout = cli.Retry.RequestTimeout, Delay = cli.Retry.Delay, NextRandom = cli.Retry.NextRandom };
        cli.Server.FailNext("POST", "/token", 503, "UNAVAILABLE", "Token service unavailable.", times: 1000);

        var result = await cli.RunAsync("status", job.Name);

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.TokenEndpointUnavailable}: The service_account credential from GOOGLE_APPLICATION_CREDENTIALS=", result.StdErr);
        Assert.Contains("503", result.StdErr);
        Assert.Contains("usually temporary", result.StdErr);
        Assert.DoesNotContain("create a new key", result.StdErr);
        Assert.DoesNotContain(DiagnosticCodes.TokenRequestFailed, result.StdErr);
        Assert.Single(cli.RetryDelays);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.Contains("/customJobs/", StringComparison.Ordinal));
    }
}
