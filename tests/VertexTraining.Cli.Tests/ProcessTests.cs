using System.Diagnostics;
using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;

namespace VertexTraining.Cli.Tests;

/// <summary>The real dotnet-vertex process: environment-driven endpoints and credentials, help, and Ctrl-C.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Submit_then_wait_as_a_process_against_the_fake()
    {
        await using var cli = await CliHarness.StartAsync();
        var document = cli.WriteDocument(CliHarness.CustomJobDocument());
        var submissionFile = cli.Temp.Combine("obj", "Release", "net10.0", "vertex", "submission.json");

        var submit = await cli.RunProcessAsync(["submit", "--request", document, "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region, "--submission-file", submissionFile]);

        Assert.True(submit.ExitCode == 0, submit.ToString());
        var job = Assert.Single(cli.Server.Jobs);
        Assert.Equal($"VertexTraining: submitted {job.Name}", submit.OutLines[0]);
        Assert.Equal(job.Name, CliHarness.Parse(File.ReadAllText(submissionFile))["name"]!.GetValue<string>());

        job.Script(new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "hello from the GPU")), new JobStep("JOB_STATE_SUCCEEDED"));
        var wait = await cli.RunProcessAsync(["wait", job.Name, "--poll-interval", "0.5"]);

        Assert.True(wait.ExitCode == 0, wait.ToString());
        Assert.Equal([$"VertexTraining: {job.Id} is RUNNING", "[workerpool0-0] hello from the GPU", $"VertexTraining: {job.Id} ended SUCCEEDED"], wait.OutLines);
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_exits_130_leaves_the_job_running_and_says_how_to_come_back()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");

        var result = await cli.RunProcessAsync(["wait", job.Name, "--poll-interval", "0.5"], TimeSpan.FromSeconds(60), async (process, output) =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!Snapshot(output).Contains("is RUNNING", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        });

        Assert.True(result.ExitCode == ExitCodes.Interrupted, result.ToString());
        Assert.Contains($"re-attach with: dotnet vertex wait {job.Name}", result.StdErr);
        Assert.Contains($"cancel it with: dotnet vertex cancel {job.Name}", result.StdErr);
        Assert.Equal("JOB_STATE_RUNNING", job.State);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.EndsWith(":cancel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metadata_server_credentials_as_a_process_use_GCE_METADATA_HOST()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        cli.Server.OAuth.MetadataServiceAccount = TestCredentials.MetadataAccount;
        cli.Environment["GCE_METADATA_HOST"] = cli.Server.HostAndPort;
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_SUCCEEDED");

        var status = await cli.RunProcessAsync(["status", job.Name, "--json"]);

        Assert.True(status.ExitCode == 0, status.ToString());
        var token = Assert.Single(cli.Server.OAuth.IssuedTokens);
        Assert.Equal($"metadata_server:{TestCredentials.MetadataAccount}", token.Value);
        Assert.Contains(cli.Server.Requests, r => r.Path.StartsWith("/v1/", StringComparison.Ordinal) && r.Header("Authorization") == "Bearer " + token.Key);
    }

    [Fact]
    public async Task Help_works_for_the_tool_and_every_command()
    {
        await using var cli = await CliHarness.StartAsync();
        var root = await cli.RunProcessAsync(["--help"]);

        Assert.True(root.ExitCode == 0, root.ToString());
        foreach (var command in new[] { "submit", "status", "wait", "logs", "cancel", "list", "trials", "auth", "version" })
        {
            Assert.Contains($"  {command} ", root.StdOut);
        }

        Assert.Contains("130 interrupted", root.StdOut);
        foreach (var command in new[] { "submit", "status", "wait", "logs", "cancel", "list", "trials", "auth", "auth check", "auth print-access-token" })
        {
            var help = await cli.RunAsync([.. command.Split(' '), "--help"]);
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains("Usage:", help.StdOut);
        }
    }

    private static string Snapshot(System.Text.StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
