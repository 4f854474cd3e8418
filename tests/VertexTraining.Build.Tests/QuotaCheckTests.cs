using VertexTraining.Build.Tests.Infrastructure;
using VertexTraining.Testing.Fakes;

namespace VertexTraining.Build.Tests;

/// <summary>`dotnet publish -t:SubmitTraining` with the fake's Cloud Quotas API: a job over a limit stops before its image is built or pushed.</summary>
public sealed class QuotaCheckTests : IAsyncLifetime
{
    private CloudSubmissionSetup _setup = null!;

    [RegistryFact]
    public void A_job_over_its_cpu_quota_stops_with_VTX4060_before_the_image_is_built_or_pushed()
    {
        TestEnvironment.RequireRegistry();
        // HelloTrainer runs one n1-standard-4: 4 CPUs against a limit of 2.
        _setup.Cloud.SetQuota("aiplatform.googleapis.com/custom_model_training_cpus", 2);

        var run = _setup.Publish("HelloTrainer", "quota-over");

        Assert.False(run.Build.Succeeded, run.Build.Describe());
        var error = Assert.Single(run.Build.Errors);
        Assert.Equal("VTX4060", error.Code);
        Assert.Contains("needs 4 of quota CustomModelTrainingCpusPerProjectPerRegion", error.Message, StringComparison.Ordinal);
        Assert.Contains("has a limit of 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(_setup.Cloud.Requests, r => r.Path.EndsWith("/quotaInfos", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Build.VertexLines, l => l.StartsWith("VertexTraining: building image", StringComparison.Ordinal));
        Assert.Empty(_setup.Cloud.Creates());
    }

    public async Task InitializeAsync() => _setup = await CloudSubmissionSetup.StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();
}
