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
        Assert.False(Directory.Exists(Path.Combine(_project.Directory, "obj", "vertex-image")), "The image build's restore ran.");
        if (registry == "local-registry" && TestEnvironment.IsReady)
        {
            using var client = new RegistryClient(TestEnvironment.Registry);
            client.AssertRepositoryAbsent(properties["ContainerRepository"], $"`dotnet {command}` must not push");
        }
    }

    public void Dispose() => _project?.Dispose();
}
