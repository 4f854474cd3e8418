using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;

namespace VertexTraining.Cli.Tests;

/// <summary>Access tokens never appear in any output (at --verbose too) or file; only print-access-token prints one.</summary>
public sealed class SecretTests
{
    [Fact]
    public async Task No_command_prints_or_writes_an_access_token_even_when_verbose()
    {
        await using var cli = await CliHarness.StartAsync();
        var document = cli.WriteDocument(CliHarness.CustomJobDocument());
        var submissionFile = cli.Temp.Combine("obj", "vertex", "submission.json");
        cli.Server.FailNext("GET", "/customJobs", 503, "UNAVAILABLE", "Injected so the retry path is traced too.");
        cli.Server.Inject(new Fault { Matches = r => r.Method == "POST" && r.Path.EndsWith("/customJobs", StringComparison.Ordinal), Kind = FaultKind.ResetAfterHandling });

        var results = new List<CliResult>
        {
            await cli.RunProcessAsync(["-v", "auth", "check"]),
            await cli.RunProcessAsync(["submit", "--request", document, "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region, "--submission-file", submissionFile, "--verbose"]),
        };
        var job = Assert.Single(cli.Server.Jobs);
        job.Script(new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "step 1")), new JobStep("JOB_STATE_SUCCEEDED"));
        results.Add(await cli.RunProcessAsync(["wait", job.Name, "-v", "--poll-interval", "0.5"]));
        results.Add(await cli.RunProcessAsync(["status", job.Name, "-v", "--json"]));
        results.Add(await cli.RunProcessAsync(["logs", job.Name, "-v"]));
        results.Add(await cli.RunProcessAsync(["list", "-v", "--project", FakeGoogleCloud.ProjectId]));
        results.Add(await cli.RunProcessAsync(["cancel", job.Name, "-v"]));
        results.Add(await cli.RunAsync("-v", "status", job.Name));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        // The verbose trace really ran (requests and the retry are in it), and the API really got tokens.
        Assert.Contains(results, r => r.StdErr.Contains("[http] GET ", StringComparison.Ordinal));
        Assert.Contains(results, r => r.StdErr.Contains("retrying", StringComparison.Ordinal));
        var tokens = cli.Server.OAuth.IssuedTokens.Keys.ToList();
        Assert.True(tokens.Count >= results.Count - 1, $"{tokens.Count} tokens for {results.Count} runs");
        Assert.All(cli.Server.Requests.Where(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)), r => Assert.Contains(r.Header("Authorization")!["Bearer ".Length..], tokens));

        var files = Directory.EnumerateFiles(cli.Temp.Path, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))).ToList();
        Assert.Contains(files, f => f.f == submissionFile);
        foreach (var token in tokens)
        {
            Assert.All(results, r => Assert.DoesNotContain(token, r.AllOutput, StringComparison.Ordinal));
            Assert.All(files, f => Assert.DoesNotContain(token, f.Item2, StringComparison.Ordinal));
        }

        // The search is able to find a token where one is meant to be.
        var printed = await cli.RunProcessAsync(["auth", "print-access-token", "-v"]);
        Assert.Contains(printed.StdOut.Trim(), cli.Server.OAuth.IssuedTokens.Keys);
        Assert.DoesNotContain(printed.StdOut.Trim(), printed.StdErr, StringComparison.Ordinal);
    }
}
