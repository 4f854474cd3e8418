using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>One restored copy of HelloTrainer for the end-to-end validation run.</summary>
public sealed class ValidationFixture : IDisposable
{
    private readonly Lazy<TestProject> _project;

    public ValidationFixture()
    {
        _project = new Lazy<TestProject>(() =>
        {
            var project = TestProject.Create("HelloTrainer", "validation");
            project.Dotnet("restore").AssertSuccess();
            return project;
        });
    }

    internal TestProject Project => _project.Value;

    public void Dispose()
    {
        if (_project.IsValueCreated)
        {
            _project.Value.Dispose();
        }
    }
}

/// <summary>
/// The documented command fails a bad configuration with its VTX code, in MSBuild's canonical format,
/// before anything is built, pushed or written: no inner linux-x64 build, no image archive, no
/// job-request.json, no repository in the registry. Every other bad configuration is checked in
/// process, against the same targets, by VertexTraining.Targets.Tests' ValidationTests.
/// </summary>
public sealed class ValidationTests(ValidationFixture fixture) : IClassFixture<ValidationFixture>
{
    [Fact]
    public void Documented_publish_command_reports_the_same_code()
    {
        var project = fixture.Project;
        var properties = BaseProperties("publish-command").With(("VertexAcceleratorType", "NVIDIA_TESLA_K80"));

        var build = project.Dotnet(["publish", "--no-restore", "-t:SubmitTraining", .. properties.ToArguments()]);

        AssertRejectedBeforeAnythingWasBuilt(build, project, properties, "VTX1021");
    }

    /// <summary>A valid Cloud configuration pushing to the local registry: the test breaks one thing.</summary>
    private static BuildProperties BaseProperties(string caseName) =>
        Submission.CloudProperties(TestEnvironment.Registry, TestEnvironment.BaseImageRepository, "invalid-" + caseName);

    private static void AssertRejectedBeforeAnythingWasBuilt(BuildResult build, TestProject project, BuildProperties properties, string code)
    {
        Assert.False(build.Succeeded, $"Expected {code}, but the build succeeded.\n{build.Describe()}");
        Assert.True(build.Errors.Any(e => e.Code == code), $"Expected error {code}.\n{build.Describe()}");
        Assert.Contains(build.Lines, l => l.Contains($"error {code}: ", StringComparison.Ordinal));
        // Only our coded errors: a crash (MSB4018) or an SDK error would mean validation came too late.
        Assert.True(build.Errors.All(e => e.Code.StartsWith("VTX1", StringComparison.Ordinal)),
            $"Every error must be a VTX1xxx configuration error.\n{build.Describe()}");
        Assert.DoesNotContain(build.VertexLines, l => l.StartsWith("VertexTraining: building image", StringComparison.Ordinal));

        Assert.Empty(project.VertexOutputFolders.SelectMany(f => Directory.GetFiles(f)));
        Assert.Empty(project.FindFiles("job-request.json"));
        Assert.Empty(project.FindFiles("image.tar*"));
        var bin = Path.Combine(project.Directory, "bin");
        Assert.False(Directory.Exists(bin) && Directory.GetDirectories(bin, "linux-x64", SearchOption.AllDirectories).Length > 0,
            "The linux-x64 image build ran although the configuration is invalid.");
        if (TestEnvironment.IsReady)
        {
            using var registry = new RegistryClient(TestEnvironment.Registry);
            registry.AssertRepositoryAbsent(properties["ContainerRepository"], "an invalid configuration must push nothing");
        }
    }
}
