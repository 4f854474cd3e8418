using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary><c>status</c> and <c>cancel</c>, and how JOB arguments resolve.</summary>
public sealed class JobCommandTests
{
    [Fact]
    public async Task Status_shows_state_times_error_and_console_link()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");
        job.Apply(new JobStep("JOB_STATE_FAILED") { Mutate = r => r["error"] = new JsonObject { ["code"] = 3, ["message"] = "The replica workerpool0-0 exited with a non-zero status of 2." } }, cli.Server.Clock);

        var result = await cli.RunAsync("status", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            $"Name:         {job.Name}",
            "Display name: moons-20261127-100000",
            "Kind:         CustomJob",
            "State:        FAILED",
            "Created:      2026-11-27 10:00:00Z",
            "Started:      2026-11-27 10:00:00Z",
            "Ended:        2026-11-27 10:00:00Z",
            "Duration:     0s",
            "Error:        The replica workerpool0-0 exited with a non-zero status of 2. (code 3)",
            $"Console:      https://console.cloud.google.com/ai/platform/locations/us-central1/training/{job.Id}?project={FakeGoogleCloud.ProjectNumber}",
        ], result.OutLines);
    }

    [Fact]
    public async Task A_bare_id_with_project_and_region_is_tried_as_custom_job_then_tuning_job()
    {
        await using var cli = await CliHarness.StartAsync();
        var tuning = cli.Server.AddJob("hyperparameterTuningJobs", CliHarness.Parse(CliHarness.TuningJobDocument().ToJson()), "JOB_STATE_RUNNING");

        var result = await cli.RunAsync("status", tuning.Id, "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Kind:         HyperparameterTuningJob", result.StdOut);
        Assert.Contains("Trials:       0 succeeded, 0 running, 0 failed of 4", result.StdOut);
        Assert.Contains($"?project={FakeGoogleCloud.ProjectId}", result.StdOut);
        var paths = cli.Server.Requests.Where(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        Assert.Equal(
        [
            $"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/us-central1/customJobs/{tuning.Id}",
            $"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/us-central1/hyperparameterTuningJobs/{tuning.Id}",
        ], paths);
    }

    [Fact]
    public async Task A_bare_id_that_is_neither_kind_is_VTX4005()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Environment["GOOGLE_CLOUD_PROJECT"] = FakeGoogleCloud.ProjectId;

        var result = await cli.RunAsync("status", "42");

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ApiNotFound}: No custom job or hyperparameter tuning job '42' exists in project '{FakeGoogleCloud.ProjectId}', region 'us-central1'", result.StdErr);
    }

    [Theory]
    [InlineData("projects/p/locations/l/trainingPipelines/1")]
    [InlineData("not a job")]
    public async Task A_malformed_job_reference_is_VTX4010_and_exit_2(string reference)
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("status", reference);

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.InvalidJobReference}:", result.StdErr);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.StartsWith("/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_posts_cancel_then_wait_sees_CANCELLED_and_exits_5()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");

        var cancel = await cli.RunAsync("cancel", job.Name, "--json");
        var wait = await cli.RunAsync("wait", job.Name);

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        var post = Assert.Single(cli.Server.Requests, r => r.Method == "POST" && r.Path.StartsWith("/v1/", StringComparison.Ordinal));
        Assert.Equal($"/v1/{job.Name}:cancel", post.Path);
        Assert.Equal("{}", post.Body);
        Assert.Equal(job.Name, CliHarness.Parse(cancel.StdOut)["name"]!.GetValue<string>());
        Assert.Equal(ExitCodes.JobCancelled, wait.ExitCode);
        Assert.Equal("JOB_STATE_CANCELLED", job.State);
    }

    [Fact]
    public async Task Cancel_of_an_ended_job_sends_nothing()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_SUCCEEDED");

        var result = await cli.RunAsync("cancel", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("already ended SUCCEEDED; nothing to cancel", result.StdErr);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Method == "POST" && r.Path.StartsWith("/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bare_id_inside_a_project_folder_takes_project_and_region_from_the_project_file()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");
        cli.Temp.Write("Directory.Build.props", "<Project />");
        cli.Temp.Write("Directory.Build.targets", "<Project />");
        cli.Temp.Write("Trainer.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <VertexProject>{FakeGoogleCloud.ProjectId}</VertexProject>
                <VertexRegion>{FakeGoogleCloud.Region}</VertexRegion>
              </PropertyGroup>
            </Project>
            """);

        var result = await cli.RunAsync("status", job.Id);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Name:         {job.Name}", result.StdOut);
        Assert.Contains(cli.Server.Requests, r => r.Path == $"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/{FakeGoogleCloud.Region}/customJobs/{job.Id}");
    }
}
