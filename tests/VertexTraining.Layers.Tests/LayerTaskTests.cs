using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using VertexTraining.Build.Tasks.Layers;
using VertexTraining.Layers.Tests.Infrastructure;

namespace VertexTraining.Layers.Tests;

/// <summary>The layer tasks in process, on a publish folder made on disk: classification, content hashes, tags.</summary>
public sealed class LayerTaskTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vertex-layer-tasks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Files_go_to_the_layer_of_the_package_they_came_from_and_every_published_file_is_staged_once()
    {
        var publish = MakePublishFolder("a");
        var layers = Stage(publish, "staging-a");

        Assert.Equal(["runtime", "dependencies", "app"], layers.Select(l => l.ItemSpec));
        Assert.Equal(["System.Private.CoreLib.dll", "libcoreclr.so"], Files(layers[0]));
        Assert.Equal(["NuGet.Versioning.dll", "runtimes/linux-x64/native/libtorch.so"], Files(layers[1]));
        Assert.Equal(["Trainer", "Trainer.deps.json", "Trainer.dll", "config/settings.json"], Files(layers[2]));
        Assert.True(Directory.Exists(Path.Combine(layers[2].GetMetadata("LayerDirectory"), "empty")), "an empty folder of the publish folder stays in the app layer");
        Assert.Equal("2", layers[1].GetMetadata("FileCount"));
        Assert.Equal(
            Directory.GetFiles(publish, "*", SearchOption.AllDirectories).Length,
            layers.Sum(l => int.Parse(l.GetMetadata("FileCount"))));
    }

    [Fact]
    public void Content_hashes_depend_on_content_and_paths_only_not_on_time_stamps_or_folders()
    {
        var first = Stage(MakePublishFolder("one"), "staging-one");
        var other = MakePublishFolder("two");
        foreach (var file in Directory.GetFiles(other, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }

        var second = Stage(other, "staging-two");
        Assert.Equal(Hashes(first), Hashes(second));

        File.WriteAllText(Path.Combine(other, "Trainer.dll"), "app v2");
        var third = Stage(other, "staging-two");
        Assert.Equal(Hashes(first)[..2], Hashes(third)[..2]);
        Assert.NotEqual(Hashes(first)[2], Hashes(third)[2]);

        File.WriteAllText(Path.Combine(other, "runtimes/linux-x64/native/libtorch.so"), "native v2");
        var fourth = Stage(other, "staging-two");
        Assert.Equal(Hashes(first)[0], Hashes(fourth)[0]);
        Assert.NotEqual(Hashes(third)[1], Hashes(fourth)[1]);
    }

    [Fact]
    public void A_file_copied_from_the_package_folder_is_named_by_its_package_and_version()
    {
        var packages = Path.Combine(_root, "packages");
        Write(packages, "nuget.versioning/8.0.0/lib/netstandard2.0/NuGet.Versioning.dll", "versioning");
        Write(packages, "nuget.versioning/8.0.1/lib/netstandard2.0/NuGet.Versioning.dll", "versioning");
        var publish = MakePublishFolder("nuget");
        string DependenciesHash(string version, string relativeInPackage)
        {
            var item = Published("NuGet.Versioning.dll", "NuGet.Versioning");
            item.ItemSpec = Path.Combine(packages, "nuget.versioning", version, relativeInPackage);
            item.SetMetadata("NuGetPackageVersion", version);
            return Stage(publish, "staging-nuget", [item])[1].GetMetadata("ContentHash");
        }

        var v800 = DependenciesHash("8.0.0", "lib/netstandard2.0/NuGet.Versioning.dll");
        Assert.Equal(v800, DependenciesHash("8.0.0", "lib/netstandard2.0/NuGet.Versioning.dll"));
        Assert.NotEqual(v800, DependenciesHash("8.0.1", "lib/netstandard2.0/NuGet.Versioning.dll"));

        // A source outside the package folder (trimmed, ReadyToRun...) is hashed by content instead.
        var byContent = Stage(publish, "staging-nuget")[1].GetMetadata("ContentHash");
        Assert.NotEqual(v800, byContent);
    }

    [Fact]
    public void Staged_files_are_hard_links_not_copies()
    {
        var publish = MakePublishFolder("links");
        var layers = Stage(publish, "staging-links");
        var staged = Path.Combine(layers[0].GetMetadata("LayerDirectory"), "libcoreclr.so");
        File.AppendAllText(Path.Combine(publish, "libcoreclr.so"), "+");
        Assert.Equal("coreclr+", File.ReadAllText(staged));
    }

    [Fact]
    public void A_layer_staged_from_the_same_content_is_kept_and_a_changed_one_is_staged_again()
    {
        var publish = MakePublishFolder("restage");
        var layers = Stage(publish, "staging-restage");
        // A file the staging never writes: it survives only where a folder is kept as it is.
        var markers = layers.Select(l => Path.Combine(l.GetMetadata("LayerDirectory"), "kept.marker")).ToArray();
        foreach (var marker in markers)
        {
            File.WriteAllText(marker, "");
        }

        File.WriteAllText(Path.Combine(publish, "Trainer.dll"), "app v2");
        var again = Stage(publish, "staging-restage");
        Assert.True(File.Exists(markers[0]));
        Assert.True(File.Exists(markers[1]));
        Assert.False(File.Exists(markers[2]));
        Assert.Equal("app v2", File.ReadAllText(Path.Combine(again[2].GetMetadata("LayerDirectory"), "Trainer.dll")));
        Assert.Equal(Hashes(layers)[..2], Hashes(again)[..2]);
    }

    [Fact]
    public void A_layer_tag_follows_content_base_and_settings_but_not_build_time_labels()
    {
        var settings = new[]
        {
            Setting("HOME", "env", "/tmp"),
            Setting("org.opencontainers.image.created", "label", "2026-01-01T00:00:00Z"),
        };
        var tag = Tag("app", "c0ffee", "registry/repo@sha256:1", settings);
        Assert.Matches("^vertex-app-[0-9a-f]{32}$", tag);
        Assert.Equal(tag, Tag("app", "c0ffee", "registry/repo@sha256:1", [settings[0], Setting("org.opencontainers.image.created", "label", "2027-05-05T00:00:00Z")]));
        Assert.NotEqual(tag, Tag("app", "c0ffe0", "registry/repo@sha256:1", settings));
        Assert.NotEqual(tag, Tag("app", "c0ffee", "registry/repo@sha256:2", settings));
        Assert.NotEqual(tag, Tag("app", "c0ffee", "registry/repo@sha256:1", [Setting("HOME", "env", "/root"), settings[1]]));
        Assert.NotEqual(tag, Tag("runtime", "c0ffee", "registry/repo@sha256:1", settings)[..12]);
    }

    private string MakePublishFolder(string name)
    {
        var folder = Path.Combine(_root, name, "publish");
        Write(folder, "libcoreclr.so", "coreclr");
        Write(folder, "System.Private.CoreLib.dll", "corelib");
        Write(folder, "NuGet.Versioning.dll", "versioning");
        Write(folder, "runtimes/linux-x64/native/libtorch.so", "native");
        Write(folder, "Trainer", "apphost");
        Write(folder, "Trainer.dll", "app v1");
        Write(folder, "Trainer.deps.json", "{}");
        Write(folder, "config/settings.json", "{}");
        Directory.CreateDirectory(Path.Combine(folder, "empty"));
        return folder;
    }

    private ITaskItem[] Stage(string publish, string staging, TaskItem[]? replacements = null)
    {
        var engine = new FakeBuildEngine();
        var task = new StageVertexImageLayers
        {
            BuildEngine = engine,
            PublishDirectory = publish,
            StagingDirectory = Path.Combine(_root, staging),
            RuntimePacks = [new TaskItem("Microsoft.NETCore.App.Runtime.linux-x64", new Dictionary<string, string> { ["NuGetPackageId"] = "Microsoft.NETCore.App.Runtime.linux-x64" })],
            PublishedFiles =
            [
                Published("libcoreclr.so", "Microsoft.NETCore.App.Runtime.linux-x64"),
                Published("System.Private.CoreLib.dll", "Microsoft.NETCore.App.Runtime.linux-x64"),
                Published("NuGet.Versioning.dll", "NuGet.Versioning"),
                Published("runtimes/linux-x64/native/libtorch.so", "libtorch-cpu-linux-x64"),
                Published("Trainer", ""),
                Published("Trainer.dll", ""),
            ],
        };
        foreach (var replacement in replacements ?? [])
        {
            task.PublishedFiles = [.. task.PublishedFiles.Where(f => f.GetMetadata("RelativePath") != replacement.GetMetadata("RelativePath")), replacement];
        }

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        return task.Layers;
    }

    private static string[] Hashes(ITaskItem[] layers) => [.. layers.Select(l => l.GetMetadata("ContentHash"))];

    private static string[] Files(ITaskItem layer)
    {
        var folder = layer.GetMetadata("LayerDirectory");
        return [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)];
    }

    private static TaskItem Published(string relativePath, string packageId) =>
        new("/source/" + relativePath, new Dictionary<string, string> { ["RelativePath"] = relativePath, ["NuGetPackageId"] = packageId });

    private static TaskItem Setting(string name, string kind, string value) =>
        new(name, new Dictionary<string, string> { ["Kind"] = kind, ["Value"] = value });

    private static string Tag(string layer, string content, string below, ITaskItem[] settings)
    {
        var task = new ComputeVertexLayerTag { BuildEngine = new FakeBuildEngine(), Layer = layer, ContentHash = content, Below = below, Settings = settings };
        Assert.True(task.Execute());
        return task.Tag;
    }

    private static void Write(string folder, string relative, string content)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
