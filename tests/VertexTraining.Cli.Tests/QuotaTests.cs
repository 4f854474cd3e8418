using System.Diagnostics;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>
/// <c>dotnet vertex quota</c> (what SubmitTraining runs before the push) against the fake's Cloud Quotas API:
/// the limits are read through ADC, paged, for the job's region, and compared with what the pools hold at once.
/// </summary>
public sealed class QuotaTests
{
    private const string L4Gpus = "aiplatform.googleapis.com/custom_model_training_nvidia_l4_gpus";
    private const string G2Cpus = "aiplatform.googleapis.com/custom_model_training_g2_cpus";
    private const string A100Gpus = "aiplatform.googleapis.com/custom_model_training_nvidia_a100_gpus";
    private const string PreemptibleL4Gpus = "aiplatform.googleapis.com/custom_model_training_preemptible_nvidia_l4_gpus";

    private static string L4Job(CliHarness cli, params (string Name, string Value)[] extra)
    {
        var inputs = Inputs().Set("VertexMachineType", "g2-standard-8").Set("VertexAcceleratorType", "NVIDIA_L4");
        foreach (var (name, value) in extra)
        {
            inputs.Set(name, value);
        }

        return Write(cli, inputs);
    }

    private static JobInputs Inputs() => new JobInputs()
        .Set("VertexProject", FakeGoogleCloud.ProjectId)
        .Set("VertexRegion", FakeGoogleCloud.Region)
        .Set("VertexTarget", "Cloud")
        .Set("VertexArtifactRepository", "training")
        .Set("VertexJobDisplayName", "quota-test");

    private static string Write(CliHarness cli, JobInputs inputs)
    {
        var result = JobDocumentBuilder.Build(inputs, "us-central1-docker.pkg.dev/vertex-test-project/training/moons:local");
        return cli.WriteDocument(result.Document ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics)));
    }

    private static Task<CliResult> Check(CliHarness cli, string request, params string[] extra) =>
        cli.RunAsync(["quota", "--request", request, "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region, .. extra]);

    [Fact]
    public async Task A_job_within_its_limits_passes_and_says_what_it_needs_of_each()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Server.SetQuota(L4Gpus, 8);
        cli.Server.SetQuota(G2Cpus, 24);
        cli.Server.SetQuota(A100Gpus, 0);

        var result = await Check(cli, L4Job(cli));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("quota CustomModelTrainingNvidiaL4GpusPerProjectPerRegion: the job needs 1 of 8 in us-central1", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("quota CustomModelTrainingG2CpusPerProjectPerRegion: the job needs 8 of 24 in us-central1", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("VTX", result.StdErr, StringComparison.Ordinal);

        // Read through ADC from the documented resource, every page (2 per page: 4 quotas).
        var reads = cli.Server.Requests.Where(r => r.Path.EndsWith("/quotaInfos", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, r => Assert.Equal($"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/global/services/aiplatform.googleapis.com/quotaInfos", r.Path));
        Assert.All(reads, r => Assert.StartsWith("Bearer ", r.Headers["Authorization"], StringComparison.Ordinal));
        Assert.Contains("pageToken=2", reads[1].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_over_a_limit_stops_with_VTX4060_naming_the_quota_the_limit_the_request_and_where_to_ask()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Server.SetQuota(L4Gpus, 0);
        cli.Server.SetQuota(G2Cpus, 24);

        var result = await Check(cli, L4Job(cli));

        Assert.True(result.ExitCode == ExitCodes.ApiError, result.ToString());
        var error = Assert.Single(result.StdErr.Split('\n'), l => l.Contains("error VTX4060", StringComparison.Ordinal));
        Assert.Contains("needs 1 of quota CustomModelTrainingNvidiaL4GpusPerProjectPerRegion (" + L4Gpus + ") in us-central1", error, StringComparison.Ordinal);
        Assert.Contains("has a limit of 0", error, StringComparison.Ordinal);
        Assert.Contains("workerpool0 (1 x g2-standard-8: 1 NVIDIA_L4)", error, StringComparison.Ordinal);
        Assert.Contains($"https://console.cloud.google.com/iam-admin/quotas?project={FakeGoogleCloud.ProjectId}", error, StringComparison.Ordinal);
        Assert.Contains("VertexQuotaCheck=false", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pools_on_one_quota_add_up_replicas_and_accelerators()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Server.SetQuota(A100Gpus, 7);
        var inputs = Inputs()
            .Add("VertexWorkerPool", "Primary", ("MachineType", "a2-highgpu-2g"), ("AcceleratorType", "NVIDIA_TESLA_A100"), ("AcceleratorCount", "2"))
            .Add("VertexWorkerPool", "Workers", ("MachineType", "a2-highgpu-2g"), ("AcceleratorType", "NVIDIA_TESLA_A100"), ("AcceleratorCount", "2"), ("ReplicaCount", "3"));

        var result = await Check(cli, Write(cli, inputs));

        // 1 x 2 + 3 x 2 = 8 A100s against 7.
        Assert.True(result.ExitCode == ExitCodes.ApiError, result.ToString());
        Assert.Contains("needs 8 of quota CustomModelTrainingNvidiaA100GpusPerProjectPerRegion", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("has a limit of 7", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spot_job_is_checked_against_the_preemptible_gpu_quota()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Server.SetQuota(L4Gpus, 0);
        cli.Server.SetQuota(PreemptibleL4Gpus, 4);

        var result = await Check(cli, L4Job(cli, ("VertexSchedulingStrategy", "Spot")));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("CustomModelTrainingPreemptibleNvidiaL4GpusPerProjectPerRegion: the job needs 1 of 4", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quota_the_project_list_lacks_is_reported_not_checked_and_does_not_stop_the_job()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Server.SetQuota(G2Cpus, 24);

        var result = await Check(cli, L4Job(cli));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"quota {L4Gpus} not checked", result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Permission 'cloudquotas.quotas.get' denied on resource '//cloudquotas.googleapis.com/projects/vertex-test-project/locations/global/services/aiplatform.googleapis.com'.")]
    [InlineData("Cloud Quotas API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudquotas.googleapis.com/overview?project=123456789012 then retry.")]
    public async Task Quotas_that_cannot_be_read_are_one_warning_and_the_submission_goes_on(string message)
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Server.SetQuota(L4Gpus, 0);
        cli.Server.FailNext("GET", "/quotaInfos", 403, "PERMISSION_DENIED", message);

        var result = await Check(cli, L4Job(cli));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var warning = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("VertexTraining : warning VTX4061: Could not read the project's quotas (VTX4004", warning, StringComparison.Ordinal);
        Assert.Contains(message[..40], warning, StringComparison.Ordinal);
        Assert.Contains("submitting without the quota check", warning, StringComparison.Ordinal);
        Assert.Single(cli.Server.Requests, r => r.Path.EndsWith("/quotaInfos", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_quota_api_holds_the_submission_up_for_the_deadline_only()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Server.SetQuota(L4Gpus, 0);
        cli.Server.Inject(new Fault { Matches = r => r.Path.EndsWith("/quotaInfos", StringComparison.Ordinal), Kind = FaultKind.Slow, Delay = TimeSpan.FromSeconds(60), Times = 10 });
        var request = L4Job(cli);

        var clock = Stopwatch.StartNew();
        var result = await Check(cli, request, "--deadline", "2");
        clock.Stop();

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("warning VTX4061", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("did not answer within 2 s", result.StdErr, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Without_credentials_the_check_is_skipped_with_one_warning()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);

        var result = await Check(cli, L4Job(cli));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("warning VTX4061: Could not read the project's quotas (VTX3", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.EndsWith("/quotaInfos", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("121")]
    [InlineData("NaN")]
    public async Task A_deadline_outside_1_to_120_seconds_is_VTX1170(string deadline)
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await Check(cli, L4Job(cli), "--deadline", deadline);

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains(DiagnosticCodes.InvalidQuotaDeadline, result.StdErr, StringComparison.Ordinal);
    }
}
