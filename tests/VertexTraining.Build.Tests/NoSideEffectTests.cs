using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>
/// Side effects are opt-in: a plain build, a design-time build and a plain publish of a project that
/// declares a whole Cloud job do nothing of ours, even with a registry configured, and touch no
/// network: the registries named point at a loopback port where nothing listens.
/// </summary>
public sealed class NoSideEffectTests : IDisposable
{
    /// <summary>Nothing listens here: any pull or push attempt would fail the build.</summary>
    private const string UnusedRegistry = TestProject.ClosedPort;

    private static readonly Dictionary<string, string[]> Commands = new()
    {
        ["build"] = ["build"],
        ["publish"] = ["publish"],
        // What the IDE's language services run; SkipCompilerExecution keeps csc from running, as in the IDE.
        ["design-time-build"] = ["msbuild", "-restore", "-t:ResolveAssemblyReferences;Compile",
            "-p:DesignTimeBuild=true", "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true", "-p:BuildingProject=false"],
        // Even asked for by name, SubmitTraining does nothing inside a design-time build.
        ["design-time-submit"] = ["msbuild", "-restore", "-t:SubmitTraining", "-p:DesignTimeBuild=true"],
    };

    private TestProject? _project;

    public static TheoryData<string, string> Runs
    {
        get
        {
            var runs = new TheoryData<string, string>();
            foreach (var command in Commands.Keys)
            {
                runs.Add(command, "local-registry");
                runs.Add(command, "unused-port");
            }

            return runs;
        }
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Nothing_of_ours_happens_outside_SubmitTraining(string command, string registry)
    {
        _project = TestProject.Create("HelloTrainer", "no-side-effects-" + command);
        var pushTo = registry == "unused-port" ? UnusedRegistry : TestEnvironment.Registry;
        var properties = Submission.CloudProperties(pushTo, UnusedRegistry + "/nvidia/cuda", "no-side-effects").With(
            ("VertexAcceleratorType", "NVIDIA_TESLA_T4"),
            ("VertexArgs", "--epochs=3"));

        var build = _project.Dotnet([.. Commands[command], .. properties.ToArguments()]);

        build.AssertSuccess();
        Assert.True(build.VertexLines.Count == 0, $"Our targets ran.\n{build.Describe()}");
        Assert.Empty(_project.VertexOutputFolders);
        Assert.Empty(_project.FindFiles("job-request.json"));
        Assert.Empty(_project.FindFiles("image.tar*"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_project.Directory, "obj"), "vertex-*"));
        if (registry == "local-registry" && TestEnvironment.IsReady)
        {
            using var client = new RegistryClient(TestEnvironment.Registry);
            client.AssertRepositoryAbsent(properties["ContainerRepository"], $"`dotnet {command}` must not push");
        }
    }

    [Fact]
    public void The_documented_command_validates_before_the_sdks_own_publish_builds_anything()
    {
        _project = TestProject.Create("HelloTrainer", "validate-first");
        var properties = Submission.CloudProperties(UnusedRegistry, UnusedRegistry + "/nvidia/cuda", "validate-first").With(("VertexProject", "p"));
        var bin = Path.Combine(_project.Directory, "bin");

        // `dotnet publish` asks for Publish before SubmitTraining; the package skips that publish.
        var submit = _project.Dotnet(["publish", "-t:SubmitTraining", .. properties.ToArguments()]);
        Assert.False(submit.Succeeded, submit.Describe());
        Assert.Contains(submit.Errors, e => e.Code == "VTX1003");
        Assert.False(Directory.Exists(bin), $"Something was built before the configuration was rejected.\n{submit.Describe()}");

        // The same project published plainly is published as the SDK always does.
        _project.Dotnet(["publish", .. properties.ToArguments()]).AssertSuccess();
        Assert.NotEmpty(Directory.GetDirectories(bin, "publish", SearchOption.AllDirectories));
    }

    public void Dispose() => _project?.Dispose();
}
