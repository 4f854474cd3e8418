using VertexTraining.Targets.Tests.Infrastructure;

namespace VertexTraining.Targets.Tests;

/// <summary>
/// The IDE's Publish button: publishing with the VertexTraining profile, or with a profile of the project's own
/// that sets VertexSubmitOnPublish, submits as -t:SubmitTraining does, after the SDK's Publish.
/// </summary>
public sealed class PublishProfileTests
{
    private const string LocalJob = """
          <PropertyGroup>
            <VertexJobDisplayName>profile-job</VertexJobDisplayName>
            <VertexArgs>--epochs=2</VertexArgs>
          </PropertyGroup>
        """;

    [Fact]
    public void The_VertexTraining_profile_writes_the_same_document_as_SubmitTraining()
    {
        using var reference = TargetsProject.Create(LocalJob);
        reference.Build(new Dictionary<string, string> { ["VertexDryRun"] = "true" }, "SubmitTraining").AssertSuccess();

        using var project = TargetsProject.Create(LocalJob);
        var run = project.Build(new Dictionary<string, string> { ["VertexDryRun"] = "true", ["PublishProfile"] = "VertexTraining" }, "Publish");

        run.AssertSuccess();
        Assert.Equal(["Publish", "_VertexSubmitFromPublishProfile", "SubmitTraining"], run.TargetsStarted.Where(t => t is "Publish" or "_VertexSubmitFromPublishProfile" or "SubmitTraining"));
        Json.Equal(reference.ReadJobRequest().ToJsonString(), project.ReadJobRequest(), "the publish-profile document");
        // The profile has no .pubxml: the SDK's "profile not found" warning is only a message.
        Assert.Contains("NETSDK1198", run.Property("MSBuildWarningsAsMessages").Split(';'));
    }

    [Fact]
    public void A_pubxml_of_the_projects_own_submits_when_it_sets_VertexSubmitOnPublish()
    {
        using var project = TargetsProject.Create(LocalJob);
        project.WriteFile(Path.Combine("Properties", "PublishProfiles", "Gpu.pubxml"), """
            <Project>
              <PropertyGroup>
                <VertexSubmitOnPublish>true</VertexSubmitOnPublish>
                <VertexDryRun>true</VertexDryRun>
              </PropertyGroup>
            </Project>
            """);

        var run = project.Build(new Dictionary<string, string> { ["PublishProfile"] = "Gpu" }, "Publish");

        run.AssertSuccess();
        Assert.Contains("SubmitTraining", run.TargetsStarted);
        Json.String(project.ReadJobRequest(), "displayName", "profile-job");
    }

    [Fact]
    public void Another_profile_publishes_without_submitting()
    {
        using var project = TargetsProject.Create(LocalJob);
        project.WriteFile(Path.Combine("Properties", "PublishProfiles", "Folder.pubxml"), """
            <Project>
              <PropertyGroup>
                <PublishDir>out/</PublishDir>
              </PropertyGroup>
            </Project>
            """);

        var run = project.Build(new Dictionary<string, string> { ["PublishProfile"] = "Folder" }, "Publish");

        run.AssertSuccess();
        Assert.Empty(run.VertexTargetsStarted);
        Assert.Empty(project.FilesWrittenByTheBuild());
    }
}
