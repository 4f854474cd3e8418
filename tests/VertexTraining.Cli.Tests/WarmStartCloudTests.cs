using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>
/// <c>local-run --warm-start projects/.../hyperparameterTuningJobs/N</c>: a cloud study's trials, read with get from the
/// loopback stand-in for Vertex AI, seed a local study's search.
/// </summary>
public sealed class WarmStartCloudTests
{
    [Fact]
    public async Task A_cloud_tuning_jobs_trials_seed_a_local_study_and_misfits_are_explained()
    {
        await using var cli = await CliHarness.StartAsync();
        var earlier = cli.Server.AddJob("hyperparameterTuningJobs", CliHarness.Parse(CliHarness.TuningJobDocument().ToJson()), "JOB_STATE_SUCCEEDED");
        // Trial n has layers = n and learning_rate = 0.001 n: trial 5's layers is outside 1..4, trial 3 has no result.
        earlier.Resource["trials"] = TrialsTests.Trials(("1", "SUCCEEDED", 0.84), ("2", "SUCCEEDED", 0.91), ("3", "INFEASIBLE", null), ("4", "SUCCEEDED", 0.88), ("5", "SUCCEEDED", 0.95));
        var request = cli.Temp.Combine("job-request.json");
        await File.WriteAllTextAsync(request, CliHarness.TuningJobDocument().ToJson());

        // /bin/true reports nothing, so the study fails after its first trial; the warm start comes before it.
        var result = await cli.RunAsync("local-run", "--request", request, "--app", "/bin/true", "--mode", "process", "--warm-start", earlier.Name);

        Assert.Contains($"VertexTraining: warm start: 3 trials of {earlier.Name} seed the search; 1 do not fit this study's parameters (trial 5: layers=5 is outside what 'layers' takes now)", result.StdOut);
        var read = Assert.Single(cli.Server.Requests, r => r.Method == "GET" && r.Path == "/v1/" + earlier.Name);
        Assert.StartsWith("Bearer ", read.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cloud_study_that_cannot_be_read_stops_the_run_with_the_api_error()
    {
        await using var cli = await CliHarness.StartAsync();
        var request = cli.Temp.Combine("job-request.json");
        await File.WriteAllTextAsync(request, CliHarness.TuningJobDocument().ToJson());

        var result = await cli.RunAsync("local-run", "--request", request, "--app", "/bin/true", "--mode", "process",
            "--warm-start", "projects/123456789012/locations/us-central1/hyperparameterTuningJobs/999");

        Assert.Contains($"error {DiagnosticCodes.ApiNotFound}", result.StdErr);
        Assert.NotEqual(0, result.ExitCode);
    }
}
