using System.Text.Json.Nodes;
using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>The image defaults on the CUDA base stay overridable with the SDK's own Container* properties.</summary>
public sealed class ImageCustomizationTests : IDisposable
{
    private readonly List<TestProject> _projects = [];

    [RegistryFact]
    public void Container_settings_in_the_project_win_over_the_CUDA_image_defaults()
    {
        TestEnvironment.RequireRegistry();
        var project = NewProject("CustomizedImageTrainer");
        var run = Submission.Publish(project, DryRunProperties("customized"));

        run.Build.AssertSuccess();
        var archive = OciArchive.Load(run.ImageArchivePath);
        var config = archive.Config;
        Json.String(config, "config.User", "2000");
        var env = (Json.At(config, "config.Env") as JsonArray ?? []).Select(e => e!.GetValue<string>()).ToList();
        Assert.Equal(["LD_LIBRARY_PATH=/opt/trainer/lib:/usr/local/nvidia/lib64"], env.Where(e => e.StartsWith("LD_LIBRARY_PATH=", StringComparison.Ordinal)));
        // The defaults the project did not override still apply.
        Assert.Contains(env, e => e.StartsWith("PATH=", StringComparison.Ordinal) && e.Contains("/usr/local/nvidia/bin", StringComparison.Ordinal));

        // InvariantGlobalization=false in the project body beats the package's default of true:
        // in the app as published, and in the image.
        var published = project.FindFiles("CustomizedImageTrainer.runtimeconfig.json")
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}linux-x64{Path.DirectorySeparatorChar}publish{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(published.Count == 1, $"Expected one bin/**/linux-x64/publish runtimeconfig, found: {string.Join(", ", published)}");
        Json.Bool(Json.ParseObject(published[0]), "runtimeOptions.configProperties['System.Globalization.Invariant']", false);
        var inImage = JsonNode.Parse(archive.ReadImageFile("app/CustomizedImageTrainer.runtimeconfig.json")
            ?? throw new Xunit.Sdk.XunitException("app/CustomizedImageTrainer.runtimeconfig.json is not in the image"))!;
        Json.Bool(inImage, "runtimeOptions.configProperties['System.Globalization.Invariant']", false);
    }

    [RegistryFact]
    public void Explicit_ContainerBaseImage_wins_over_the_CUDA_resolution()
    {
        TestEnvironment.RequireRegistry();
        var explicitBase = TestEnvironment.BaseImageRepository + ":12.4.1-base-ubuntu22.04";
        var project = NewProject("HelloTrainer");
        // The CUDA settings would resolve the cudnn-runtime image; the explicit base must be used instead.
        var run = Submission.Publish(project, DryRunProperties("explicit-base").With(
            ("ContainerBaseImage", explicitBase),
            ("VertexCudaFlavor", "cudnn-runtime")));

        run.Build.AssertSuccess();
        var config = OciArchive.Load(run.ImageArchivePath).Config;
        Json.String(config, "config.Labels['org.opencontainers.image.base.name']", explicitBase);
        Assert.Contains(run.Build.VertexLines, l => l.Contains($" on {explicitBase} ", StringComparison.Ordinal));
        // The base's own environment is inherited.
        Assert.Contains("CUDA_VERSION=12.4.1", (Json.At(config, "config.Env") as JsonArray ?? []).Select(e => e!.GetValue<string>()));
        run.PinnedDigest();
    }

    public void Dispose()
    {
        foreach (var project in _projects)
        {
            project.Dispose();
        }
    }

    private static BuildProperties DryRunProperties(string stem) =>
        Submission.CloudProperties(TestEnvironment.Registry, TestEnvironment.BaseImageRepository, stem).With(("VertexDryRun", "true"));

    private TestProject NewProject(string asset)
    {
        var project = TestProject.Create(asset);
        _projects.Add(project);
        return project;
    }
}
