using System.Text.Json.Nodes;
using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>One `dotnet publish -t:SubmitTraining -p:VertexDryRun=true` of HelloTrainer, shared by the tests below.</summary>
public sealed class DryRunFixture : IDisposable
{
    private readonly Lazy<Submission> _submission;
    private readonly List<TestProject> _projects = [];

    public DryRunFixture()
    {
        _submission = new Lazy<Submission>(() =>
        {
            TestEnvironment.RequireRegistry();
            return Submission.Publish(NewProject("dry-run"), Properties("dry-run"));
        });
    }

    internal Submission Submission => _submission.Value;

    internal TestProject NewProject(string stem)
    {
        var project = TestProject.Create("HelloTrainer", stem);
        _projects.Add(project);
        return project;
    }

    /// <summary>The dry run's properties; only the registry repository differs between runs.</summary>
    internal static BuildProperties Properties(string repositoryStem) =>
        Submission.CloudProperties(TestEnvironment.Registry, TestEnvironment.BaseImageRepository, repositoryStem).With(
            ("VertexDryRun", "true"),
            ("VertexJobDisplayName", "hello-dry-run"),
            ("VertexAcceleratorType", "NVIDIA_TESLA_T4"),
            ("VertexArgs", "--epochs=3;--lr=0.1"));

    public void Dispose()
    {
        foreach (var project in _projects)
        {
            project.Dispose();
        }
    }
}

public sealed class DryRunTests(DryRunFixture fixture) : IClassFixture<DryRunFixture>
{
    [RegistryFact]
    public void Dry_run_builds_the_image_archive_and_writes_a_CustomJob_pinned_by_digest()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();

        Assert.True(new FileInfo(run.ImageArchivePath).Length > 0);
        var document = run.Document;
        Json.String(document, "displayName", "hello-dry-run");
        Json.Absent(document, "studySpec");
        Json.Equal("""["--epochs=3", "--lr=0.1"]""", Json.At(document, "jobSpec.workerPoolSpecs[0].containerSpec.args"), "containerSpec.args");
        var digest = run.PinnedDigest();
        Assert.All(run.ImageUris(), uri => Assert.Equal($"{run.ImageName}@{digest}", uri));
        Assert.Equal($"{run.ImageName}@{digest}", run.ReportedImageUri);
        // The self-contained .NET runtime's own native libraries load on the default base.
        Assert.Contains(run.Build.VertexLines, l => l.StartsWith("VertexTraining: native compatibility:", StringComparison.Ordinal) && l.EndsWith(": they load", StringComparison.Ordinal));
    }

    [RegistryFact]
    public void Pinned_digest_is_the_manifest_digest_of_the_archived_image()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();

        var archive = OciArchive.Load(run.ImageArchivePath);

        Assert.Equal(archive.ManifestDigest, run.PinnedDigest());
    }

    [RegistryFact]
    public void Dry_run_pushes_nothing()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();

        using var registry = new RegistryClient(TestEnvironment.Registry);
        registry.AssertRepositoryAbsent(run.Repository, "a dry run must not push");
        Assert.Contains(run.Build.VertexLines, l => l.StartsWith("VertexTraining: dry run", StringComparison.Ordinal));
    }

    [RegistryFact]
    public void Image_is_a_self_contained_linux_x64_app_on_the_resolved_CUDA_base()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();

        var archive = OciArchive.Load(run.ImageArchivePath);
        var config = archive.Config;
        Json.String(config, "architecture", "amd64");
        Json.String(config, "os", "linux");
        Json.String(config, "config.Labels['org.opencontainers.image.base.name']",
            TestEnvironment.BaseImageRepository + ":12.4.1-cudnn-runtime-ubuntu22.04");

        // Self-contained: the runtime is in the image and the runtimeconfig names included frameworks.
        Assert.NotNull(archive.ReadImageFile("app/libcoreclr.so"));
        var runtimeConfig = JsonNode.Parse(archive.ReadImageFile("app/HelloTrainer.runtimeconfig.json")
            ?? throw new Xunit.Sdk.XunitException("app/HelloTrainer.runtimeconfig.json is not in the image"))!;
        Assert.NotNull(Json.At(runtimeConfig, "runtimeOptions.includedFrameworks"));
        // The CUDA base has no ICU, so invariant globalization is the default the package sets.
        Json.Bool(runtimeConfig, "runtimeOptions.configProperties['System.Globalization.Invariant']", true);
    }
}
