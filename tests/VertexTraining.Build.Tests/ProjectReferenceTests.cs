using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>
/// A training app with a class library of its own (TrainerWithLibrary: Shared/, with a NuGet
/// dependency): the image build restores the app for linux-x64 into obj/vertex-linux-x64/ and
/// every referenced project into its own obj/, and skips that restore when nothing it reads changed.
/// </summary>
public sealed partial class ProjectReferenceTests
{
    private static readonly string[] BuildImage = ["msbuild", "-restore", "-t:_VertexWriteJobRequest", "-nologo", "-v:m"];

    [PodmanFact]
    public void An_app_with_a_project_reference_builds_runs_and_restores_its_image_build_only_when_needed()
    {
        TestEnvironment.RequirePodman();
        using var project = TestProject.Create("TrainerWithLibrary", "with-library");
        var properties = Submission.CloudProperties(TestEnvironment.Registry, TestEnvironment.BaseImageRepository, "with-library");
        var library = Path.Combine(project.Directory, "Shared", "Shared.csproj");
        var imageAssets = Path.Combine(project.Directory, "obj", "vertex-linux-x64", "project.assets.json");

        var first = Submission.Run(project, BuildImage, properties);
        first.Build.AssertSuccess();
        // The outer restore and the image build's own.
        Assert.Equal(2, Restores(first.Build));
        Assert.Equal(project.ProjectFile, ProjectPath(imageAssets));
        Assert.Equal(library, ProjectPath(Path.Combine(project.Directory, "Shared", "obj", "project.assets.json")));
        Assert.Equal(project.ProjectFile, ProjectPath(Path.Combine(project.Directory, "obj", "project.assets.json")));

        var image = first.ImageUris().Single();
        try
        {
            var run = Podman.Run(image, []);
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Contains("shared=library True", run.Output);
        }
        finally
        {
            Podman.Remove(image);
        }

        // Nothing the restore reads changed: only the outer restore runs.
        var second = Submission.Run(project, BuildImage, properties);
        second.Build.AssertSuccess();
        Assert.Equal(1, Restores(second.Build));

        // A new package reference: NuGet rewrites the project's assets, so the image build restores again.
        File.WriteAllText(project.ProjectFile, File.ReadAllText(project.ProjectFile).Replace(
            "<ProjectReference Include=\"Shared/Shared.csproj\" />",
            "<ProjectReference Include=\"Shared/Shared.csproj\" />\n    <PackageReference Include=\"NuGet.Versioning\" Version=\"7.0.3\" />"));
        var third = Submission.Run(project, BuildImage, properties);
        third.Build.AssertSuccess();
        Assert.Equal(2, Restores(third.Build));
        var direct = Json.ParseObject(imageAssets)["projectFileDependencyGroups"]!.AsObject().Single().Value!.AsArray();
        Assert.Contains(direct, d => d!.GetValue<string>().StartsWith("NuGet.Versioning >= 7.0.3", StringComparison.Ordinal));

        // The project's own restore is still the IDE's: a plain build works.
        project.Dotnet("build", "-nologo", "-v:q").AssertSuccess();
    }

    private static int Restores(BuildResult build) => RestorePattern().Matches(build.Output).Count;

    private static string ProjectPath(string assetsFile) =>
        Json.ParseObject(assetsFile)["project"]!["restore"]!["projectPath"]!.GetValue<string>();

    [GeneratedRegex("Determining projects to restore")]
    private static partial Regex RestorePattern();
}
