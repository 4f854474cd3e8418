using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>One `dotnet publish -t:SubmitTraining` (or an equivalent entry point) and what it left behind.</summary>
internal sealed partial class Submission
{
    private Submission(TestProject project, BuildProperties properties, BuildResult build)
    {
        Project = project;
        Properties = properties;
        Build = build;
    }

    public TestProject Project { get; }

    public BuildProperties Properties { get; }

    public BuildResult Build { get; }

    /// <summary>registry/repository, as the document's imageUri must start.</summary>
    public string ImageName => $"{Properties["ContainerRegistry"]}/{Repository}";

    public string Repository => Properties["ContainerRepository"];

    /// <summary>The properties of a Cloud job pushed to <paramref name="registry"/> on the stand-in CUDA base.</summary>
    public static BuildProperties CloudProperties(string registry, string baseImageRepository, string repositoryStem) => new()
    {
        ["VertexProject"] = "my-project",
        ["VertexArtifactRepository"] = "training",
        // Tests push to the loopback registry, not Artifact Registry; the repository is unique per test.
        ["ContainerRegistry"] = registry,
        ["ContainerRepository"] = "vertex-tests/" + TestRun.UniqueName(repositoryStem),
        ["VertexCudaImageRepository"] = baseImageRepository,
    };

    /// <summary>Runs the documented command: <c>dotnet publish -t:SubmitTraining</c>.</summary>
    public static Submission Publish(TestProject project, BuildProperties properties, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(project, properties, project.Dotnet(["publish", "-t:SubmitTraining", .. properties.ToArguments()], environment));

    /// <summary>Runs any other entry point (a publish profile, `dotnet msbuild`) with these properties.</summary>
    public static Submission Run(TestProject project, IEnumerable<string> command, BuildProperties properties, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(project, properties, project.Dotnet([.. command, .. properties.ToArguments()], environment));

    public string JobRequestPath => Project.VertexFile("job-request.json", Build);

    public JsonObject Document => Json.ParseObject(JobRequestPath);

    /// <summary>The image archive of a dry run (the SDK writes a plain tar whatever the extension).</summary>
    public string ImageArchivePath
    {
        get
        {
            var archives = Project.VertexOutputFolders.SelectMany(f => Directory.GetFiles(f, "image.tar*")).ToList();
            Assert.True(archives.Count == 1, $"Expected one obj/**/vertex/image.tar* archive, found {archives.Count}.\n{Build.Describe()}");
            return archives[0];
        }
    }

    /// <summary>Every pool's containerSpec.imageUri that runs our image (pools sent as {} have none).</summary>
    public IReadOnlyList<string> ImageUris(JsonObject? document = null)
    {
        var doc = document ?? Document;
        var spec = doc["jobSpec"] ?? doc["trialJobSpec"];
        Assert.True(spec is not null, $"The document has neither jobSpec nor trialJobSpec:\n{doc.ToJsonString()}");
        return [.. spec!["workerPoolSpecs"]!.AsArray()
            .Select(pool => pool?["containerSpec"]?["imageUri"]?.GetValue<string>())
            .OfType<string>()];
    }

    /// <summary>The digest of the image pinned in the document; every pool must pin this same one.</summary>
    public string PinnedDigest(JsonObject? document = null)
    {
        var uris = ImageUris(document).Where(u => u.StartsWith(ImageName + "@", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(uris.Count == 1, $"Expected every pool to pin one {ImageName}@sha256 image, found: {string.Join(", ", uris)}");
        var match = PinnedImage().Match(uris[0]);
        Assert.True(match.Success && match.Groups["name"].Value == ImageName,
            $"imageUri '{uris[0]}' does not match ^{Regex.Escape(ImageName)}@sha256:[0-9a-f]{{64}}$");
        return match.Groups["digest"].Value;
    }

    /// <summary>The image the build said it produced ("VertexTraining: image ...").</summary>
    public string? ReportedImageUri =>
        Build.VertexLines.Select(l => ReportedImage().Match(l)).Where(m => m.Success).Select(m => m.Groups["uri"].Value).LastOrDefault();

    [GeneratedRegex(@"^(?<name>[^@\s]+)@(?<digest>sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedImage();

    [GeneratedRegex(@"^VertexTraining: image (?<uri>\S+@sha256:[0-9a-f]{64})")]
    private static partial Regex ReportedImage();
}
