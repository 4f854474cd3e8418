using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>
/// Every number, file and body has a bound: bad values are coded usage errors (exit 2), oversized files and
/// responses are coded errors read only up to their bound, and error bodies are printed as snippets.
/// </summary>
public sealed class InputBoundsTests
{
    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e308")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("0.1")]
    [InlineData("3601")]
    public async Task A_poll_interval_outside_half_a_second_to_an_hour_is_VTX1017(string value)
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");

        foreach (var args in new[] { new[] { "wait", job.Name }, ["logs", job.Name, "--follow"], ["submit", "--request", "job.json", "--wait"] })
        {
            var result = await cli.RunAsync([.. args, "--poll-interval", value]);

            Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
            Assert.Contains($"error {DiagnosticCodes.InvalidPollInterval}: --poll-interval '{value}' is not valid: give a number of seconds from 0.5 to 3600", result.StdErr);
            Assert.DoesNotContain("   at ", result.StdErr);
        }

        Assert.Empty(cli.Server.Requests);
    }

    [Fact]
    public async Task The_poll_interval_bounds_themselves_are_accepted()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");
        job.Script(new JobStep("JOB_STATE_RUNNING"), new JobStep("JOB_STATE_SUCCEEDED"));

        var fast = await cli.RunAsync("wait", job.Name, "--poll-interval", "0.5", "--no-logs");
        var slow = await cli.RunAsync("wait", job.Name, "--poll-interval", "3600", "--no-logs");

        Assert.True(fast.ExitCode == 0, fast.ToString());
        Assert.True(slow.ExitCode == 0, slow.ToString());
        Assert.Contains(TimeSpan.FromSeconds(0.5), cli.PollDelays);
    }

    [Fact]
    public async Task Submit_request_from_an_endless_device_stops_at_10_MiB_with_VTX4012()
    {
        await using var cli = await CliHarness.StartAsync();
        var result = await cli.RunAsync("submit", "--request", "/dev/zero", "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region);

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains($"error {DiagnosticCodes.InvalidRequestDocument}: The job document /dev/zero is larger than 10 MiB", result.StdErr);
        Assert.Empty(cli.Server.Requests);
    }

    [Fact]
    public async Task Submit_request_of_a_file_over_10_MiB_is_VTX4012_and_one_under_is_read()
    {
        await using var cli = await CliHarness.StartAsync();
        var huge = cli.Temp.Write("huge.json", "{\"displayName\":\"" + new string('x', 10 * 1024 * 1024) + "\"}");

        var result = await cli.RunAsync("submit", "--request", huge, "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region);

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains($"error {DiagnosticCodes.InvalidRequestDocument}: The job document {huge} is larger than 10 MiB", result.StdErr);
        Assert.Empty(cli.Server.Requests);
    }

    [Fact]
    public async Task Submit_request_whose_labels_are_not_an_object_is_VTX4012_and_nothing_is_created()
    {
        await using var cli = await CliHarness.StartAsync();
        var document = JsonNode.Parse(CliHarness.CustomJobDocument().ToJson())!.AsObject();
        document["labels"] = "notobject";
        var request = cli.Temp.Write("labels.json", document.ToJsonString());

        var result = await cli.RunAsync("submit", "--request", request, "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region);

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains($"error {DiagnosticCodes.InvalidRequestDocument}: The request's \"labels\" is string \"notobject\"; it must be an object", result.StdErr);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.EndsWith("/customJobs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_credential_file_that_never_ends_is_VTX3003()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        cli.Environment["GOOGLE_APPLICATION_CREDENTIALS"] = "/dev/zero";

        var result = await cli.RunAsync("auth", "check");

        Assert.True(result.ExitCode == ExitCodes.AuthFailed, result.ToString());
        Assert.Contains($"error {DiagnosticCodes.CredentialFileInvalid}: The credential file from GOOGLE_APPLICATION_CREDENTIALS=/dev/zero could not be read as JSON (it is larger than 1024 KiB)", result.StdErr);
    }

    [Fact]
    public async Task A_response_over_32_MiB_is_VTX4015_not_a_crash()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");
        // Sent chunked, without a length: the bound is enforced while reading. Every GET gets it, and there is time to send it on a busy machine.
        cli.Retry = new Core.Cloud.RetryPolicy { RequestTimeout = TimeSpan.FromSeconds(30), Delay = cli.Retry.Delay, NextRandom = cli.Retry.NextRandom };
        cli.Server.Inject(new Fault { Matches = r => r.Method == "GET", Kind = FaultKind.HugeBody, Status = 200, Size = 40 * 1024 * 1024, Times = int.MaxValue });

        var result = await cli.RunAsync("status", job.Name);

        Assert.True(result.ExitCode == ExitCodes.ApiError, result.ToString());
        Assert.Contains($"error {DiagnosticCodes.ApiResponseTooLarge}: Vertex AI sent a response larger than 32 MiB", result.StdErr);
        Assert.True(result.StdErr.Length < 2000, $"stderr has {result.StdErr.Length} characters");
        Assert.Single(cli.Server.Requests, r => r.Method == "GET");
    }

    [Fact]
    public async Task A_huge_error_body_is_printed_as_a_short_snippet()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");
        cli.Retry = new Core.Cloud.RetryPolicy { RequestTimeout = TimeSpan.FromSeconds(30), Delay = cli.Retry.Delay, NextRandom = cli.Retry.NextRandom };
        cli.Server.Inject(new Fault { Matches = r => r.Method == "GET", Kind = FaultKind.HugeBody, Status = 400, Size = 40 * 1024 * 1024 });
        cli.Server.Inject(new Fault { Matches = r => r.Method == "GET", Kind = FaultKind.HugeBody, Status = 400, Size = 5000 });

        var huge = await cli.RunAsync("status", job.Name);
        var large = await cli.RunAsync("status", job.Name);

        foreach (var result in new[] { huge, large })
        {
            Assert.True(result.ExitCode == ExitCodes.ApiError, result.ToString());
            Assert.Contains($"error {DiagnosticCodes.ApiInvalidArgument}: Vertex AI returned 400", result.StdErr);
            Assert.Contains("xxx...", result.StdErr);
            Assert.True(result.StdErr.Length < 2000, $"stderr has {result.StdErr.Length} characters");
        }
    }

    [Theory]
    [InlineData("submti")]
    [InlineData("wait")]
    [InlineData("status", "123", "--bogus")]
    [InlineData("list", "--kind", "tunning")]
    [InlineData("wait", "123", "--poll-interval", "soon")]
    public async Task A_command_line_that_does_not_parse_is_VTX1016_and_exit_2(params string[] args)
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains($"error {DiagnosticCodes.InvalidCommandLine}: ", result.StdErr);
        Assert.Contains("--help' for the commands and options.", result.StdErr);
        Assert.Empty(cli.Server.Requests);
    }

    [Fact]
    public async Task Help_still_exits_0()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("wait", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--poll-interval", result.StdOut);
    }
}
