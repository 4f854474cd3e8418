using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using VertexTraining.Layers.Tests.Infrastructure;

namespace VertexTraining.Layers.Tests;

/// <summary>
/// End to end, as a user runs it: the packed package, `dotnet msbuild -t:_VertexWriteJobRequest`
/// (build, push, job document; nothing submitted), the loopback registries and podman.
/// One class, so its builds run one after another rather than fight for the machine's two cores.
/// </summary>
public sealed class LayeredImageTests(ITestOutputHelper output)
{
    private static string Registry => TestEnvironment.Registry;

    [RegistryFact]
    public void Unchanged_layers_keep_their_digests_and_a_one_line_change_alters_only_the_app_layer()
    {
        TestEnvironment.RequireRegistry();
        var repository = LayeredTrainer.UniqueRepository("stable");

        using var first = LayeredTrainer.Create("stable-1");
        var build1 = Succeeded(first.BuildImage(Registry, repository, [Deterministic(first)]));
        Assert.Equal((3, 0), LayeredTrainer.LayerSummary(build1));
        var image1 = LayeredTrainer.ReadImage(Registry, repository, "latest");
        var baseLayers = LayeredTrainer.ReadImage(Registry, "nvidia/cuda", "12.4.1-cudnn-runtime-ubuntu22.04").Layers;
        Assert.Equal(baseLayers.Count + 3, image1.Layers.Count);
        Assert.Equal(baseLayers, image1.Layers.Take(baseLayers.Count));
        Assert.Equal(image1.Digest, first.PinnedDigest(build1));

        // Publishing again without a change builds and uploads nothing: same layers, same image.
        var again = Succeeded(first.BuildImage(Registry, repository, [Deterministic(first)]));
        Assert.Equal((0, 3), LayeredTrainer.LayerSummary(again));
        Assert.DoesNotContain("Pushed image", again.Output);
        Assert.Equal(image1.Digest, first.PinnedDigest(again));

        // The same input from another checkout (other folder, other time stamps, fresh obj/): the layers
        // are named by content, so this machine-independent rebuild finds every one of them. (PathMap: the
        // compiler writes the PDB's path into the assembly; without it the app layer differs per folder.)
        using var second = LayeredTrainer.Create("stable-2");
        var build2 = Succeeded(second.BuildImage(Registry, repository, [Deterministic(second)]));
        Assert.Equal((0, 3), LayeredTrainer.LayerSummary(build2));
        var image2 = LayeredTrainer.ReadImage(Registry, repository, "latest");
        Assert.Equal(image1.Layers, image2.Layers);
        Assert.Equal(image1.Digest, image2.Digest);
        Assert.Equal(image1.Digest, second.PinnedDigest(build2));

        second.ChangeOneLine("r1");
        var build3 = Succeeded(second.BuildImage(Registry, repository, [Deterministic(second)]));
        Assert.Equal((1, 2), LayeredTrainer.LayerSummary(build3));
        var image3 = LayeredTrainer.ReadImage(Registry, repository, "latest");
        Assert.Equal(image1.Layers.Count, image3.Layers.Count);
        Assert.Equal(image1.Layers.SkipLast(1), image3.Layers.SkipLast(1));
        Assert.NotEqual(image1.Layers[^1], image3.Layers[^1]);
        Assert.Equal(image3.Digest, second.PinnedDigest(build3));

        // The first checkout, still at r0: its image is reused and `latest` moves back to it.
        var build4 = Succeeded(first.BuildImage(Registry, repository, [Deterministic(first)]));
        Assert.Equal((0, 3), LayeredTrainer.LayerSummary(build4));
        Assert.Equal(image1.Digest, LayeredTrainer.ReadImage(Registry, repository, "latest").Digest);
    }

    [PodmanFact]
    public void The_layered_image_runs_under_podman_exactly_like_the_single_layer_image()
    {
        TestEnvironment.RequirePodman();
        using var project = LayeredTrainer.Create("runs");
        var split = LayeredTrainer.UniqueRepository("runs-split");
        var single = LayeredTrainer.UniqueRepository("runs-single");
        Succeeded(project.BuildImage(Registry, split));
        Succeeded(project.BuildImage(Registry, single, ["VertexImageLayers=single"]));

        var splitImage = LayeredTrainer.ReadImage(Registry, split, "latest");
        var singleImage = LayeredTrainer.ReadImage(Registry, single, "latest");
        Assert.Equal(singleImage.Layers.Count + 2, splitImage.Layers.Count);
        foreach (var key in new[] { "Env", "Entrypoint", "Cmd", "User", "WorkingDir", "ExposedPorts" })
        {
            Assert.Equal(Json(singleImage.Config, key), Json(splitImage.Config, key));
        }

        Assert.Equal(Labels(singleImage.Config), Labels(splitImage.Config));

        var splitRun = RunImage($"{Registry}/{split}@{splitImage.Digest}");
        var singleRun = RunImage($"{Registry}/{single}@{singleImage.Digest}");
        Assert.Contains("args=[--epochs=3,--learning_rate=0.5]", singleRun);
        Assert.Contains("dependency=True", singleRun);
        Assert.Equal(singleRun, splitRun);
    }

    [PodmanFact]
    public void A_local_container_run_gets_the_layered_image_and_a_one_line_change_moves_only_the_app_layer()
    {
        TestEnvironment.RequirePodman();
        using var project = LayeredTrainer.Create("local");
        // Its own layer store (the default is per user, under ~/.cache), so the counts below are this test's.
        var cache = Path.Combine(project.Directory, "cache");
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cache };
        var store = Path.Combine(cache, "vertex-training", "images", "blobs", "sha256");
        var images = new List<string>();
        try
        {
            var run1 = Succeeded(project.RunLocally(environment: environment));
            Assert.Equal((3, 0), LayeredTrainer.LayerSummary(run1));
            Assert.Contains("revision=r0", run1.Output);
            Assert.Contains("dependency=True", run1.Output);
            var image1 = project.PinnedImage();
            images.Add(image1);
            var id1 = EngineId(image1);
            Assert.StartsWith("127.0.0.1:", image1);
            var layers1 = EngineLayers(image1);
            var blobs1 = Directory.GetFiles(store).Length;

            // Same source again: every image step is found in the store; nothing is built or stored.
            var run2 = Succeeded(project.RunLocally(environment: environment));
            Assert.Equal((0, 3), LayeredTrainer.LayerSummary(run2));
            Assert.Equal(blobs1, Directory.GetFiles(store).Length);
            Assert.Equal(Digest(image1), Digest(project.PinnedImage()));

            project.ChangeOneLine("r1");
            var run3 = Succeeded(project.RunLocally(environment: environment));
            Assert.Equal((1, 2), LayeredTrainer.LayerSummary(run3));
            Assert.Contains("revision=r1", run3.Output);
            var image3 = project.PinnedImage();
            images.Add(image3);
            // The first image, superseded and named only after the first build's registry port, is gone.
            Assert.NotEqual(0, ProcessRunner.Run("podman", ["image", "exists", id1], Path.GetTempPath(), TimeSpan.FromMinutes(1)).ExitCode);
            var layers3 = EngineLayers(image3);
            // The latest run's image also carries the app's own name, as the archive route's does.
            images.Add("localhost/layeredtrainer:latest");
            Assert.Equal(EngineId(image3), EngineId("localhost/layeredtrainer:latest"));
            // In podman's store the new image shares every layer but the app's with the first one ...
            Assert.Equal(layers1.Count, layers3.Count);
            Assert.Equal(layers1.SkipLast(1), layers3.SkipLast(1));
            Assert.NotEqual(layers1[^1], layers3[^1]);
            // ... and the registry's store gained only the app layer, its config and its manifest.
            Assert.Equal(blobs1 + 3, Directory.GetFiles(store).Length);

            // The opt-out still runs the SDK's one-layer archive.
            var single = Succeeded(project.RunLocally(["VertexImageLayers=single"], environment));
            Assert.DoesNotContain("built, ", single.Output);
            Assert.Contains("revision=r1", single.Output);
            Assert.Single(Directory.GetFiles(Path.Combine(project.Directory, "obj"), "image.tar", SearchOption.AllDirectories));
        }
        finally
        {
            images.Add("docker.io/library/layeredtrainer:latest");
            RemoveEngineImages(images);
        }
    }

    [PodmanFact]
    public void A_local_container_run_pulls_a_base_that_demands_credentials_and_never_logs_them()
    {
        TestEnvironment.RequirePodman();
        using var project = LayeredTrainer.Create("local-auth");
        string[] authBase = [$"VertexCudaImageRepository={TestEnvironment.AuthBaseImageRepository}"];
        var cache = Path.Combine(project.Directory, "cache");
        const string wrongPassword = "not-the-base-registry-password-2718";
        var images = new List<string>();
        try
        {
            // The CUDA base needs the pull credentials; the build's own loopback registry needs none.
            var wrong = Echo(project.RunLocally(authBase, PullCredentials(cache, wrongPassword)));
            Assert.NotEqual(0, wrong.ExitCode);
            Assert.Contains("error ", wrong.Output);
            Assert.DoesNotContain("revision=r0", wrong.Output);
            Assert.DoesNotContain(wrongPassword, wrong.Output);

            var run1 = Succeeded(project.RunLocally(authBase, PullCredentials(cache, TestEnvironment.AuthPassword)));
            Assert.Equal((3, 0), LayeredTrainer.LayerSummary(run1));
            Assert.Contains("revision=r0", run1.Output);
            images.Add(project.PinnedImage());
            Assert.StartsWith("127.0.0.1:", project.PinnedImage());
            // The base layers came from the registry behind the password.
            var baseLayers = LayeredTrainer.ReadImage(TestEnvironment.AuthRegistry, "nvidia/cuda", "12.4.1-cudnn-runtime-ubuntu22.04",
                (TestEnvironment.AuthUser, TestEnvironment.AuthPassword)).Layers.Count;
            Assert.Equal(baseLayers + 3, EngineLayers(project.PinnedImage()).Count);

            project.ChangeOneLine("r1");
            var run2 = Succeeded(project.RunLocally(authBase, PullCredentials(cache, TestEnvironment.AuthPassword)));
            Assert.Equal((1, 2), LayeredTrainer.LayerSummary(run2));
            Assert.Contains("revision=r1", run2.Output);
            images.Add(project.PinnedImage());
            Assert.DoesNotContain(TestEnvironment.AuthPassword, run1.Output + run2.Output);
        }
        finally
        {
            images.AddRange(["localhost/layeredtrainer:latest", "docker.io/library/layeredtrainer:latest"]);
            RemoveEngineImages(images);
        }
    }

    [RegistryFact]
    public void A_registry_that_demands_credentials_gets_them_for_the_lookups_and_never_sees_them_logged()
    {
        TestEnvironment.RequireRegistry();
        var registry = TestEnvironment.AuthRegistry;
        var repository = LayeredTrainer.UniqueRepository("auth");
        var credentials = new Dictionary<string, string>
        {
            ["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = TestEnvironment.AuthUser,
            ["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = TestEnvironment.AuthPassword,
        };
        using var project = LayeredTrainer.Create("auth");
        var build1 = Succeeded(project.BuildImage(registry, repository, environment: credentials));
        Assert.Equal((3, 0), LayeredTrainer.LayerSummary(build1));
        var build2 = Succeeded(project.BuildImage(registry, repository, environment: credentials));
        Assert.Equal((0, 3), LayeredTrainer.LayerSummary(build2));
        var image = LayeredTrainer.ReadImage(registry, repository, "latest", (TestEnvironment.AuthUser, TestEnvironment.AuthPassword));
        Assert.Equal(image.Digest, project.PinnedDigest(build2));
        Assert.DoesNotContain(TestEnvironment.AuthPassword, build1.Output + build2.Output);

        // Credentials from a docker config file instead (another user of the same registry).
        var dockerConfig = Path.Combine(project.Directory, "docker-config");
        Directory.CreateDirectory(dockerConfig);
        var auth = Convert.ToBase64String("vertexuser:vertexpass"u8.ToArray());
        File.WriteAllText(Path.Combine(dockerConfig, "config.json"), JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [registry] = new { auth } } }));
        var build3 = Succeeded(project.BuildImage(registry, repository, environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig }));
        Assert.Equal((0, 3), LayeredTrainer.LayerSummary(build3));
        Assert.Equal(image.Digest, project.PinnedDigest(build3));
    }

    [RegistryFact]
    public void An_archive_keeps_the_single_layer_and_an_unknown_setting_is_refused_before_building()
    {
        TestEnvironment.RequireRegistry();
        using var project = LayeredTrainer.Create("archive");
        var dryRun = Succeeded(project.BuildImage(Registry, LayeredTrainer.UniqueRepository("archive"), ["VertexDryRun=true", "VertexImageLayers=split"]));
        Assert.DoesNotContain("built, ", dryRun.Output);
        var archive = Directory.GetFiles(Path.Combine(project.Directory, "obj"), "image.tar*", SearchOption.AllDirectories).Single();
        var baseLayers = LayeredTrainer.ReadImage(Registry, "nvidia/cuda", "12.4.1-cudnn-runtime-ubuntu22.04").Layers;
        Assert.Equal(baseLayers.Count + 1, ArchiveLayerCount(archive));

        var refused = project.BuildImage(Registry, LayeredTrainer.UniqueRepository("refused"), ["VertexImageLayers=layered"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("error VTX1100", refused.Output);
        Assert.Contains("valid values are split", refused.Output);
        Assert.DoesNotContain("Pushed image", refused.Output);
    }

    /// <summary>The SDK's pull credentials for the base image, and a layer store of the test's own.</summary>
    private static Dictionary<string, string> PullCredentials(string cache, string password) => new()
    {
        ["XDG_CACHE_HOME"] = cache,
        ["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = TestEnvironment.AuthUser,
        ["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = password,
    };

    /// <summary>
    /// Removes the images by id: an image pulled twice (two builds, two ports) has a name per pull,
    /// and removing one name keeps it.
    /// </summary>
    private static void RemoveEngineImages(IEnumerable<string> images)
    {
        foreach (var image in images)
        {
            var id = ProcessRunner.Run("podman", ["image", "inspect", "--format", "{{.Id}}", image], Path.GetTempPath(), TimeSpan.FromMinutes(1));
            if (id.ExitCode == 0)
            {
                ProcessRunner.Run("podman", ["rmi", "--force", id.Output.Trim()], Path.GetTempPath(), TimeSpan.FromMinutes(1));
            }
        }
    }

    private static string Deterministic(TestProject project) => $"PathMap={project.Directory}=/src";

    private BuildResult Succeeded(BuildResult result)
    {
        Assert.True(Echo(result).ExitCode == 0, result.Describe());
        return result;
    }

    /// <summary>Writes the command and its VertexTraining lines and errors to the test's output.</summary>
    private BuildResult Echo(BuildResult result)
    {
        output.WriteLine($"$ {result.Process.CommandLine} ({result.Process.Elapsed.TotalSeconds:F1} s)");
        foreach (var line in result.Output.Split('\n').Where(l => l.Contains("VertexTraining:", StringComparison.Ordinal) || l.Contains("error ", StringComparison.Ordinal)))
        {
            output.WriteLine(line.Trim());
        }

        return result;
    }

    private string RunImage(string image)
    {
        var pull = ProcessRunner.Run("podman", ["pull", "-q", "--tls-verify=false", image], Path.GetTempPath(), TimeSpan.FromMinutes(3));
        Assert.True(pull.ExitCode == 0, pull.Describe());
        var run = ProcessRunner.Run("podman", ["run", "--rm", image, "--epochs=3", "--learning_rate=0.5"], Path.GetTempPath(), TimeSpan.FromMinutes(3));
        ProcessRunner.Run("podman", ["rmi", "--force", image], Path.GetTempPath(), TimeSpan.FromMinutes(1));
        output.WriteLine(run.Describe());
        Assert.True(run.ExitCode == 0, run.Describe());
        return run.Output;
    }

    /// <summary>The image's layers (diff ids, base first) as podman stores them.</summary>
    private static List<string> EngineLayers(string image)
    {
        var inspect = ProcessRunner.Run("podman", ["image", "inspect", "--format", "{{json .RootFS.Layers}}", image], Path.GetTempPath(), TimeSpan.FromMinutes(1));
        Assert.True(inspect.ExitCode == 0, inspect.Describe());
        return JsonSerializer.Deserialize<List<string>>(inspect.Output.Trim())!;
    }

    private static string Digest(string reference) => reference[(reference.IndexOf('@') + 1)..];

    private static string EngineId(string image)
    {
        var inspect = ProcessRunner.Run("podman", ["image", "inspect", "--format", "{{.Id}}", image], Path.GetTempPath(), TimeSpan.FromMinutes(1));
        Assert.True(inspect.ExitCode == 0, inspect.Describe());
        return inspect.Output.Trim();
    }

    private static string Json(JsonElement config, string key) =>
        config.TryGetProperty(key, out var value) ? value.GetRawText() : "(absent)";

    // Labels that say when the image was built differ between any two builds.
    private static SortedDictionary<string, string> Labels(JsonElement config) =>
        new(config.GetProperty("Labels").EnumerateObject()
            .Where(p => !p.Name.EndsWith(".created", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""), StringComparer.Ordinal);

    private static int ArchiveLayerCount(string archive)
    {
        using var file = File.OpenRead(archive);
        Stream stream = file;
        var magic = new byte[2];
        file.ReadExactly(magic);
        file.Position = 0;
        if (magic[0] == 0x1f && magic[1] == 0x8b)
        {
            stream = new GZipStream(file, CompressionMode.Decompress);
        }

        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var tar = new TarReader(stream))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is not null && (entry.Name.EndsWith("index.json", StringComparison.Ordinal) || entry.Length < 1 << 20))
                {
                    using var buffer = new MemoryStream();
                    entry.DataStream.CopyTo(buffer);
                    blobs[entry.Name.TrimStart('.', '/')] = buffer.ToArray();
                }
            }
        }

        using var index = JsonDocument.Parse(blobs["index.json"]);
        var manifestDigest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(blobs["blobs/sha256/" + manifestDigest["sha256:".Length..]]);
        return manifest.RootElement.GetProperty("layers").GetArrayLength();
    }
}
