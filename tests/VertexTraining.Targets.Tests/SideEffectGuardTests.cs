using VertexTraining.Targets.Tests.Infrastructure;

namespace VertexTraining.Targets.Tests;

/// <summary>
/// Side effects are opt-in: a plain build or publish, a design-time build and the inner image build run none of
/// the package's targets and write nothing, however completely the project configures a cloud job. The SDK's own
/// Build and Publish are stand-ins here; what is under test is what the package hooks onto them.
/// </summary>
public sealed class SideEffectGuardTests
{
    private const string CloudJob = """
          <PropertyGroup>
            <VertexProject>my-project</VertexProject>
            <VertexArtifactRepository>training</VertexArtifactRepository>
            <VertexWait>true</VertexWait>
          </PropertyGroup>
        """;

    public static TheoryData<string, string> QuietBuilds => new()
    {
        // target, then global properties as name=value;name=value
        { "Build", "" },
        { "Publish", "" },
        { "Build", "PublishProfile=VertexTraining" },
        { "Publish", "DesignTimeBuild=true;PublishProfile=VertexTraining" },
        { "SubmitTraining", "DesignTimeBuild=true" },
        { "Publish", "_VertexImageBuild=true;PublishProfile=VertexTraining" },
        { "SubmitTraining", "_VertexImageBuild=true" },
    };

    [Theory]
    [MemberData(nameof(QuietBuilds))]
    public void Nothing_of_ours_runs_or_is_written(string target, string globalProperties)
    {
        using var project = TargetsProject.Create(CloudJob);
        var run = project.Build(Parse(globalProperties), target);

        run.AssertSuccess();
        Assert.True(run.VertexTargetsStarted.Count == 0, $"-t:{target} {globalProperties}: {run.Describe()}");
        Assert.Empty(run.Errors);
        Assert.Empty(project.FilesWrittenByTheBuild());
    }

    [Fact]
    public void Evaluation_alone_writes_nothing()
    {
        using var project = TargetsProject.Create(CloudJob);
        project.Evaluate(new Dictionary<string, string> { ["PublishProfile"] = "VertexTraining" });

        Assert.Empty(project.FilesWrittenByTheBuild());
    }

    private static Dictionary<string, string> Parse(string properties) =>
        properties.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
}
