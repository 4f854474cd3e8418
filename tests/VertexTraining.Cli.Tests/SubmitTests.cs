using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary><c>submit --request</c>: the document is POSTed unchanged but for the submission label, and never twice.</summary>
public sealed class SubmitTests
{
    private static string[] SubmitArgs(CliHarness cli, string document, params string[] extra) =>
    [
        "submit", "--request", document, "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region,
        "--submission-file", cli.Temp.Combine("obj", "vertex", "submission.json"), .. extra,
    ];

    private static List<RecordedRequest> Creates(CliHarness cli) =>
        cli.Server.Requests.Where(r => r.Method == "POST" && r.Path.StartsWith("/v1/", StringComparison.Ordinal) && !r.Path.Contains(':')).ToList();

    [Fact]
    public async Task Posts_the_document_unchanged_plus_the_submission_label_and_records_the_job()
    {
        await using var cli = await CliHarness.StartAsync();
        var document = CliHarness.CustomJobDocument();
        var path = cli.WriteDocument(document);

        var result = await cli.RunAsync(SubmitArgs(cli, path));

        Assert.True(result.ExitCode == 0, result.ToString());
        var job = Assert.Single(cli.Server.Jobs);
        var create = Assert.Single(Creates(cli));
        Assert.Equal($"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/{FakeGoogleCloud.Region}/customJobs", create.Path);
        Assert.Equal("application/json; charset=utf-8", create.Header("Content-Type"));
        var token = create.Header("Authorization")!["Bearer ".Length..];
        Assert.StartsWith("service_account:", cli.Server.OAuth.IssuedTokens[token]);

        var sent = CliHarness.Parse(create.Body);
        var submissionId = sent["labels"]![JobSubmitter.SubmissionLabelKey]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", submissionId);
        var expected = JobSubmitter.WithSubmissionLabel(CliHarness.Parse(document.ToJson()), submissionId);
        Assert.True(JsonNode.DeepEquals(expected, sent), $"sent:\n{sent}\nexpected:\n{expected}");
        Assert.Equal("ml", sent["labels"]!["team"]!.GetValue<string>());

        var console = $"https://console.cloud.google.com/ai/platform/locations/us-central1/training/{job.Id}?project={FakeGoogleCloud.ProjectId}";
        Assert.Equal([$"VertexTraining: submitted {job.Name}", $"VertexTraining: console {console}"], result.OutLines);

        var record = CliHarness.Parse(File.ReadAllText(cli.Temp.Combine("obj", "vertex", "submission.json")));
        Assert.Equal(job.Name, record["name"]!.GetValue<string>());
        Assert.Equal("moons-20261127-100000", record["displayName"]!.GetValue<string>());
        Assert.Equal(console, record["consoleUrl"]!.GetValue<string>());
        Assert.Equal("JOB_STATE_PENDING", record["state"]!.GetValue<string>());
        Assert.Equal(submissionId, record["submissionId"]!.GetValue<string>());
        Assert.Equal("CustomJob", record["kind"]!.GetValue<string>());
        Assert.Equal(job.Resource["createTime"]!.GetValue<string>(), record["createTime"]!.GetValue<string>());
        Assert.Equal("us-central1-docker.pkg.dev/vertex-test-project/training/moons@sha256:" + new string('a', 64), record["imageUri"]!.GetValue<string>());
        Assert.Equal("sha256:" + new string('a', 64), record["imageDigest"]!.GetValue<string>());
        Assert.Empty(Directory.GetFiles(cli.Temp.Combine("obj", "vertex"), "*.tmp"));
    }

    [Fact]
    public async Task A_tuning_document_goes_to_hyperparameterTuningJobs_and_json_prints_the_record()
    {
        await using var cli = await CliHarness.StartAsync();
        var path = cli.WriteDocument(CliHarness.TuningJobDocument());

        var result = await cli.RunAsync(SubmitArgs(cli, path, "--json", "--image-uri", "registry.example/moons@sha256:" + new string('b', 64)));

        Assert.True(result.ExitCode == 0, result.ToString());
        var create = Assert.Single(Creates(cli));
        Assert.EndsWith("/hyperparameterTuningJobs", create.Path);
        var record = CliHarness.Parse(result.StdOut);
        Assert.Equal("HyperparameterTuningJob", record["kind"]!.GetValue<string>());
        Assert.Equal(Assert.Single(cli.Server.Jobs).Name, record["name"]!.GetValue<string>());
        Assert.Equal("sha256:" + new string('b', 64), record["imageDigest"]!.GetValue<string>());
        Assert.Contains("VertexTraining: submitted ", result.StdErr);
    }

    [Fact]
    public async Task Connection_reset_after_the_server_created_the_job_adopts_it_by_label_and_never_creates_a_second()
    {
        await using var cli = await CliHarness.StartAsync();
        var path = cli.WriteDocument(CliHarness.CustomJobDocument());
        cli.Server.Inject(new Fault { Matches = r => r.Method == "POST" && r.Path.EndsWith("/customJobs", StringComparison.Ordinal), Kind = FaultKind.ResetAfterHandling });

        var result = await cli.RunAsync(SubmitArgs(cli, path));

        Assert.True(result.ExitCode == 0, result.ToString());
        var job = Assert.Single(cli.Server.Jobs);
        Assert.Single(Creates(cli));
        var submissionId = job.Resource["labels"]![JobSubmitter.SubmissionLabelKey]!.GetValue<string>();
        var lookup = Assert.Single(cli.Server.Requests, r => r.Method == "GET" && r.Path.EndsWith("/customJobs", StringComparison.Ordinal));
        Assert.Equal($"?filter=labels.{JobSubmitter.SubmissionLabelKey}=\"{submissionId}\"", Uri.UnescapeDataString(lookup.Query));
        Assert.Contains($"VertexTraining: submitted {job.Name}", result.StdOut);
        Assert.Contains("adopted the job it created", result.StdOut);
        var record = CliHarness.Parse(File.ReadAllText(cli.Temp.Combine("obj", "vertex", "submission.json")));
        Assert.Equal(job.Name, record["name"]!.GetValue<string>());
        Assert.True(record["adopted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_slow_create_that_times_out_after_the_server_created_the_job_is_adopted()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Retry = new RetryPolicy { RequestTimeout = TimeSpan.FromMilliseconds(400), Delay = cli.Retry.Delay, NextRandom = cli.Retry.NextRandom };
        var path = cli.WriteDocument(CliHarness.CustomJobDocument());
        cli.Server.Inject(new Fault { Matches = r => r.Method == "POST" && r.Path.EndsWith("/customJobs", StringComparison.Ordinal), Kind = FaultKind.Slow, Delay = TimeSpan.FromSeconds(5) });

        var result = await cli.RunAsync(SubmitArgs(cli, path));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(cli.Server.Jobs);
        Assert.Single(Creates(cli));
    }

    [Fact]
    public async Task A_503_before_the_job_was_created_is_checked_by_label_then_created_once()
    {
        await using var cli = await CliHarness.StartAsync();
        var path = cli.WriteDocument(CliHarness.CustomJobDocument());
        cli.Server.FailNext("POST", "/customJobs", 503, "UNAVAILABLE", "Try again.");

        var result = await cli.RunAsync(SubmitArgs(cli, path));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(cli.Server.Jobs);
        Assert.Equal(2, Creates(cli).Count);
        var methods = cli.Server.Requests.Where(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)).Select(r => r.Method).ToList();
        Assert.Equal(["POST", "GET", "POST"], methods);
        // Both attempts carried the same submission id.
        Assert.Single(Creates(cli).Select(c => CliHarness.Parse(c.Body)["labels"]![JobSubmitter.SubmissionLabelKey]!.GetValue<string>()).Distinct());
    }

    [Fact]
    public async Task A_429_on_create_is_retried_after_its_RetryInfo_without_a_label_lookup()
    {
        await using var cli = await CliHarness.StartAsync();
        var path = cli.WriteDocument(CliHarness.CustomJobDocument());
        cli.Server.FailNext("POST", "/customJobs", 429, "RESOURCE_EXHAUSTED", "Quota exceeded.", retryDelay: TimeSpan.FromSeconds(30));

        var result = await cli.RunAsync(SubmitArgs(cli, path));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(cli.Server.Jobs);
        Assert.Equal(["POST", "POST"], cli.Server.Requests.Where(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)).Select(r => r.Method));
        Assert.Equal([TimeSpan.FromSeconds(30)], cli.RetryDelays);
    }

    [Fact]
    public async Task A_400_on_create_is_reported_with_the_services_message_and_never_repeated()
    {
        await using var cli = await CliHarness.StartAsync();
        var document = CliHarness.Parse(CliHarness.CustomJobDocument().ToJson());
        document.Remove("displayName");
        var path = cli.Temp.Write("bad.json", document.ToJsonString());

        var result = await cli.RunAsync(SubmitArgs(cli, path));

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ApiInvalidArgument}: Vertex AI returned 400 INVALID_ARGUMENT: List of found errors:\t1.Field: display_name; Message: Required field is not set.", result.StdErr);
        Assert.Single(Creates(cli));
        Assert.Empty(cli.Server.Jobs);
        Assert.False(File.Exists(cli.Temp.Combine("obj", "vertex", "submission.json")));
    }

    [Fact]
    public async Task An_unreadable_document_is_VTX4012_and_exit_code_2()
    {
        await using var cli = await CliHarness.StartAsync();
        var path = cli.Temp.Write("job-request.json", "{ \"displayName\": ");

        var result = await cli.RunAsync(SubmitArgs(cli, path));

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.InvalidRequestDocument}: The job document {path} is not valid JSON", result.StdErr);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.StartsWith("/v1/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("JOB_STATE_SUCCEEDED", ExitCodes.Success)]
    [InlineData("JOB_STATE_FAILED", ExitCodes.JobFailed)]
    [InlineData("JOB_STATE_CANCELLED", ExitCodes.JobCancelled)]
    public async Task Submit_with_wait_follows_the_job_and_exits_with_its_final_state(string finalState, int exitCode)
    {
        await using var cli = await CliHarness.StartAsync();
        var path = cli.WriteDocument(CliHarness.CustomJobDocument());
        cli.OnPoll = _ =>
        {
            var job = cli.Server.Jobs.Single();
            job.Script(new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "epoch 1")), new JobStep(finalState, ("workerpool0-0", "done"))
            {
                Mutate = r =>
                {
                    if (finalState == "JOB_STATE_FAILED")
                    {
                        r["error"] = new JsonObject { ["code"] = 3, ["message"] = "The replica workerpool0-0 exited with a non-zero status of 1." };
                    }
                },
            });
            cli.OnPoll = null;
            return Task.CompletedTask;
        };

        var result = await cli.RunAsync(SubmitArgs(cli, path, "--wait", "--poll-interval", "1"));

        Assert.True(result.ExitCode == exitCode, result.ToString());
        var record = CliHarness.Parse(File.ReadAllText(cli.Temp.Combine("obj", "vertex", "submission.json")));
        Assert.Equal(finalState, record["state"]!.GetValue<string>());
        Assert.Contains("[workerpool0-0] epoch 1", result.StdOut);
        Assert.Contains($"ended {JobStates.Short(finalState)}", result.StdOut);
        if (finalState == "JOB_STATE_FAILED")
        {
            Assert.Contains($"error {DiagnosticCodes.JobEndedFailed}: Job {cli.Server.Jobs.Single().Name} ended FAILED: The replica workerpool0-0 exited with a non-zero status of 1.", result.StdErr);
        }
    }
}
