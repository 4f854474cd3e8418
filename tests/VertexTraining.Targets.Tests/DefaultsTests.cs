using System.Text.RegularExpressions;
using VertexTraining.Targets.Tests.Infrastructure;

namespace VertexTraining.Targets.Tests;

/// <summary>
/// The package's defaults: the guarded ones of the .props (which the project body may override) and the ones
/// _VertexComputeSettings derives from the project body, as the job document then carries them.
/// </summary>
public sealed class DefaultsTests
{
    private static readonly Dictionary<string, string> DryRun = new() { ["VertexDryRun"] = "true" };

    [Fact]
    public void Props_defaults_apply_where_the_project_sets_nothing()
    {
        using var project = TargetsProject.Create("");
        var evaluated = project.Evaluate();

        Assert.Equal("us-central1", evaluated.GetPropertyValue("VertexRegion"));
        Assert.Equal("12.4.1", evaluated.GetPropertyValue("VertexCudaVersion"));
        Assert.Equal("cudnn-runtime", evaluated.GetPropertyValue("VertexCudaFlavor"));
        Assert.Equal("22.04", evaluated.GetPropertyValue("VertexUbuntuVersion"));
        Assert.Equal("nvidia/cuda", evaluated.GetPropertyValue("VertexCudaImageRepository"));
        Assert.Equal("n1-standard-4", evaluated.GetPropertyValue("VertexMachineType"));
        Assert.Equal("false", evaluated.GetPropertyValue("VertexWait"));
        Assert.Equal("false", evaluated.GetPropertyValue("VertexDryRun"));
        Assert.Equal("true", evaluated.GetPropertyValue("VertexQuotaCheck"));
        Assert.Equal("true", evaluated.GetPropertyValue("VertexNativeCheck"));
    }

    [Fact]
    public void The_project_body_overrides_every_props_default()
    {
        using var project = TargetsProject.Create("""
              <PropertyGroup>
                <VertexRegion>europe-west4</VertexRegion>
                <VertexCudaVersion>12.6.3</VertexCudaVersion>
                <VertexMachineType>g2-standard-8</VertexMachineType>
                <VertexQuotaCheck>false</VertexQuotaCheck>
              </PropertyGroup>
            """);
        var evaluated = project.Evaluate();

        Assert.Equal("europe-west4", evaluated.GetPropertyValue("VertexRegion"));
        Assert.Equal("12.6.3", evaluated.GetPropertyValue("VertexCudaVersion"));
        Assert.Equal("g2-standard-8", evaluated.GetPropertyValue("VertexMachineType"));
        Assert.Equal("false", evaluated.GetPropertyValue("VertexQuotaCheck"));
    }

    [Fact]
    public void Without_a_project_the_job_is_local_and_the_image_is_named_after_the_assembly()
    {
        using var project = TargetsProject.Create("", name: "My.Trainer");
        var run = project.Build(null, "_VertexComputeSettings");
        run.AssertSuccess();

        Assert.Equal("Local", run.Property("VertexTarget"));
        Assert.Equal("", run.Property("ContainerRegistry"));
        Assert.Equal("my.trainer", run.Property("ContainerRepository"));
        Assert.Equal("true", run.Property("_VertexArchiveImage"));
        Assert.Equal("false", run.Property("_VertexUseGoogleRegistryAuth"));
        Assert.Matches(new Regex(@"^My\.Trainer-\d{8}-\d{6}$"), run.Property("VertexJobDisplayName"));
        Assert.Equal(project.VertexOutputDirectory + Path.DirectorySeparatorChar, Path.GetFullPath(run.Property("VertexOutputDirectory")));
        Assert.Equal(Path.Combine(project.VertexOutputDirectory, "job-request.json"), Path.GetFullPath(run.Property("VertexJobRequestFile")));
        Assert.Equal(Path.Combine(project.VertexOutputDirectory, "submission.json"), Path.GetFullPath(run.Property("VertexSubmissionFile")));
    }

    [Fact]
    public void A_project_and_a_repository_make_a_cloud_job_pushing_to_Artifact_Registry_with_Google_auth()
    {
        using var project = TargetsProject.Create("""
              <PropertyGroup>
                <VertexProject>my-project</VertexProject>
                <VertexRegion>europe-west4</VertexRegion>
                <VertexArtifactRepository>training</VertexArtifactRepository>
              </PropertyGroup>
            """, name: "GpuTrainer");
        var run = project.Build(null, "_VertexComputeSettings");
        run.AssertSuccess();

        Assert.Equal("Cloud", run.Property("VertexTarget"));
        Assert.Equal("europe-west4-docker.pkg.dev", run.Property("ContainerRegistry"));
        Assert.Equal("my-project/training/gputrainer", run.Property("ContainerRepository"));
        Assert.Equal("", run.Property("_VertexArchiveImage"));
        Assert.Equal("true", run.Property("_VertexUseGoogleRegistryAuth"));
        // The task sees the registry as the user wrote it (none), not the derived one.
        Assert.Equal("", VertexProperty(run, "ContainerRegistry"));
        Assert.Equal("Cloud", VertexProperty(run, "VertexTarget"));
        Assert.Equal("my-project", VertexProperty(run, "VertexProject"));
    }

    [Fact]
    public void A_dry_run_archives_the_image_and_needs_no_registry_credentials()
    {
        using var project = TargetsProject.Create("""
              <PropertyGroup>
                <VertexProject>my-project</VertexProject>
                <VertexArtifactRepository>training</VertexArtifactRepository>
              </PropertyGroup>
            """);
        var run = project.Build(DryRun, "_VertexComputeSettings");
        run.AssertSuccess();

        Assert.Equal("true", run.Property("_VertexArchiveImage"));
        Assert.Equal("false", run.Property("_VertexUseGoogleRegistryAuth"));
    }

    [Fact]
    public void A_registry_of_the_users_own_is_kept_and_gets_no_Google_auth()
    {
        using var project = TargetsProject.Create("""
              <PropertyGroup>
                <VertexProject>my-project</VertexProject>
                <VertexArtifactRepository>training</VertexArtifactRepository>
                <ContainerRegistry>registry.example.com</ContainerRegistry>
                <ContainerRepository>team/trainer</ContainerRepository>
                <VertexJobPatch>patches/job.json</VertexJobPatch>
              </PropertyGroup>
            """);
        var run = project.Build(null, "_VertexComputeSettings");
        run.AssertSuccess();

        Assert.Equal("registry.example.com", run.Property("ContainerRegistry"));
        Assert.Equal("team/trainer", run.Property("ContainerRepository"));
        Assert.Equal("", run.Property("_VertexUseGoogleRegistryAuth"));
        Assert.Equal("registry.example.com", VertexProperty(run, "ContainerRegistry"));
        // Relative to the project, like every path in it.
        Assert.Equal(Path.Combine(project.Directory, "patches", "job.json"), VertexProperty(run, "VertexJobPatch"));
    }

    [Fact]
    public void A_minimal_local_dry_run_writes_a_CustomJob_with_the_default_machine_and_one_replica()
    {
        using var project = TargetsProject.Create("", name: "HelloTrainer");
        var run = project.Build(DryRun, "SubmitTraining");
        run.AssertSuccess();
        var document = project.ReadJobRequest();

        Assert.Equal("CustomJob", run.Property("VertexJobKind"));
        Assert.Matches(new Regex(@"^HelloTrainer-\d{8}-\d{6}$"), Json.At(document, "displayName")!.GetValue<string>());
        Json.Equal($$"""
            [
              {
                "containerSpec": { "imageUri": "hellotrainer@{{TargetsProject.StandInDigest}}" },
                "machineSpec": { "machineType": "n1-standard-4" },
                "replicaCount": "1"
              }
            ]
            """, Json.At(document, "jobSpec.workerPoolSpecs"), "jobSpec.workerPoolSpecs");
        Assert.Contains(run.Lines, l => l.StartsWith("VertexTraining: dry run, nothing was pushed or submitted", StringComparison.Ordinal));
    }

    private static string VertexProperty(TargetsRun run, string name) =>
        run.Instance.GetItems("_VertexProperty").Single(i => i.EvaluatedInclude == name).GetMetadataValue("Value");
}
