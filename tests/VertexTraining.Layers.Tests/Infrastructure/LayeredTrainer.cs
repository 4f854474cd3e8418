using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VertexTraining.Layers.Tests.Infrastructure;

/// <summary>An image as the registry holds it: its layer digests (base first) and its configuration.</summary>
internal sealed record RegistryImage(string Digest, IReadOnlyList<string> Layers, JsonElement Config);

/// <summary>
/// The LayeredTrainer asset on the shared end-to-end harness (linked from VertexTraining.Build.Tests):
/// a <see cref="TestProject"/> copy of Assets/LayeredTrainer, and what these tests do with it.
/// </summary>
internal static partial class LayeredTrainer
{
    private static readonly string RunId = DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Environment.ProcessId;

    /// <summary>A repository name unique to this test run, so nothing from an earlier run is reused.</summary>
    public static string UniqueRepository(string name) => $"layers-tests/{RunId}/{name}".ToLowerInvariant();

    public static TestProject Create(string name) =>
        TestProject.Create("LayeredTrainer", name, Path.Combine(AppContext.BaseDirectory, "Assets"));

    /// <summary>The one-line change: the revision marker in Program.cs.</summary>
    public static void ChangeOneLine(this TestProject project, string revision)
    {
        var program = Path.Combine(project.Directory, "Program.cs");
        var text = File.ReadAllText(program);
        Assert.Contains("const string Revision = \"r0\";", text);
        File.WriteAllText(program, text.Replace("const string Revision = \"r0\";", $"const string Revision = \"{revision}\";"));
    }

    /// <summary>
    /// Builds and pushes the training image and writes the job document, without submitting:
    /// `dotnet msbuild -restore -t:_VertexWriteJobRequest` with VertexTarget=Cloud.
    /// </summary>
    public static BuildResult BuildImage(this TestProject project, string registry, string repository, IEnumerable<string>? properties = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        List<string> args =
        [
            "msbuild", "-restore", "-t:_VertexWriteJobRequest", "-nologo", "-v:m",
            "-p:VertexTarget=Cloud", "-p:VertexProject=my-project", "-p:VertexArtifactRepository=training",
            $"-p:ContainerRegistry={registry}", $"-p:ContainerRepository={repository}",
        ];
        return project.Msbuild(args, properties, environment);
    }

    /// <summary>
    /// Builds the image and runs the job on this machine in container mode (podman), as
    /// `dotnet publish -t:SubmitTraining` does without a cloud project.
    /// </summary>
    public static BuildResult RunLocally(this TestProject project, IEnumerable<string>? properties = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        List<string> args = ["msbuild", "-restore", "-t:SubmitTraining", "-nologo", "-v:m", "-p:VertexTarget=Local", "-p:VertexLocalMode=container"];
        return project.Msbuild(args, properties, environment);
    }

    /// <summary>`dotnet <paramref name="args"/>` on the stand-in CUDA base, plus -p:<paramref name="properties"/> and <paramref name="environment"/>.</summary>
    private static BuildResult Msbuild(this TestProject project, List<string> args, IEnumerable<string>? properties, IReadOnlyDictionary<string, string>? environment)
    {
        args.Add($"-p:VertexCudaImageRepository={TestEnvironment.BaseImageRepository}");
        args.AddRange((properties ?? []).Select(p => "-p:" + p));
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        return project.Dotnet(args, env);
    }

    /// <summary>The image reference the job document names (imageUri).</summary>
    public static string PinnedImage(this TestProject project)
    {
        // obj/.../vertex/job-request.json; a local run keeps a copy in each of its run folders.
        var files = Directory.GetFiles(Path.Combine(project.Directory, "obj"), "job-request.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "vertex")
            .ToList();
        Assert.Single(files);
        var match = ImageReferencePattern().Match(File.ReadAllText(files[0]));
        Assert.True(match.Success, $"no imageUri pinned by digest in {files[0]}");
        return match.Groups[1].Value;
    }

    /// <summary>The digest the job document pins (imageUri ...@sha256:...).</summary>
    public static string PinnedDigest(this TestProject project, BuildResult build)
    {
        var files = Directory.GetFiles(Path.Combine(project.Directory, "obj"), "job-request.json", SearchOption.AllDirectories);
        Assert.True(files.Length == 1, $"expected one job-request.json under obj/, found {files.Length}\n{build.Describe()}");
        var match = ImageUriPattern().Match(File.ReadAllText(files[0]));
        Assert.True(match.Success, $"no imageUri pinned by digest in {files[0]}");
        return match.Groups[1].Value;
    }

    /// <summary>The "(N built, M reused)" summary of a layered build.</summary>
    public static (int Built, int Reused) LayerSummary(BuildResult build)
    {
        var match = SummaryPattern().Match(build.Output);
        Assert.True(match.Success, "no layered image summary in the build output\n" + build.Describe());
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    /// <summary>Reads an image's manifest and configuration straight from a loopback registry (HTTP, optional Basic auth).</summary>
    public static RegistryImage ReadImage(string registry, string repository, string reference, (string User, string Password)? credentials = null)
    {
        using var client = credentials is { } c ? new RegistryClient(registry, c.User, c.Password) : new RegistryClient(registry);
        var (status, bytes, _) = client.GetManifest(repository, reference);
        Assert.True(status == HttpStatusCode.OK, $"GET {registry}/{repository}:{reference} answered {(int)status}");
        var digest = RegistryClient.Digest(bytes);
        var layers = JsonNode.Parse(bytes)!["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()).ToList();
        var config = client.GetImageConfig(repository, digest);
        return new RegistryImage(digest, layers, JsonSerializer.SerializeToElement(config["config"]));
    }

    [GeneratedRegex("\"imageUri\"\\s*:\\s*\"[^\"@]+@(sha256:[0-9a-f]{64})\"")]
    private static partial Regex ImageUriPattern();

    [GeneratedRegex("\"imageUri\"\\s*:\\s*\"([^\"@]+@sha256:[0-9a-f]{64})\"")]
    private static partial Regex ImageReferencePattern();

    [GeneratedRegex(@"\((\d+) built, (\d+) reused\)")]
    private static partial Regex SummaryPattern();
}
