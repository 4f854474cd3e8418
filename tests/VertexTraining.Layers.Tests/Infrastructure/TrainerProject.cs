using System.Collections;
using System.Text.RegularExpressions;

namespace VertexTraining.Layers.Tests.Infrastructure;

/// <summary>
/// A copy of the LayeredTrainer asset in its own temp folder, shielded from the repository and
/// the machine: its own nuget.config (the local package feed plus nuget.org, a package folder
/// that never holds a stale VertexTraining package), empty Directory.Build.* files, and a clean
/// environment for every `dotnet` it runs.
/// </summary>
internal sealed partial class TrainerProject : IDisposable
{
    private static readonly Lazy<(string Feed, string Version)> Package = new(FindPackage);
    private static readonly Lazy<string> PackagesFolder = new(PreparePackagesFolder);
    private static readonly string RunId = DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Environment.ProcessId;

    private TrainerProject(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>A repository name unique to this test run, so nothing from an earlier run is reused.</summary>
    public static string UniqueRepository(string name) => $"layers-tests/{RunId}/{name}".ToLowerInvariant();

    public static TrainerProject Create(string name)
    {
        var asset = Path.Combine(AppContext.BaseDirectory, "Assets", "LayeredTrainer");
        var directory = Path.Combine(Path.GetTempPath(), "vertex-layers-tests", RunId, name);
        System.IO.Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(asset, "LayeredTrainer.csproj.asset"), Path.Combine(directory, "LayeredTrainer.csproj"), overwrite: true);
        File.Copy(Path.Combine(asset, "Program.cs.asset"), Path.Combine(directory, "Program.cs"), overwrite: true);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{PackagesFolder.Value}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{Package.Value.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        return new TrainerProject(directory);
    }

    /// <summary>The one-line change: the revision marker in Program.cs.</summary>
    public void ChangeOneLine(string revision)
    {
        var program = Path.Combine(Directory, "Program.cs");
        var text = File.ReadAllText(program);
        Assert.Contains("const string Revision = \"r0\";", text);
        File.WriteAllText(program, text.Replace("const string Revision = \"r0\";", $"const string Revision = \"{revision}\";"));
    }

    /// <summary>
    /// Builds and pushes the training image and writes the job document, without submitting:
    /// `dotnet msbuild -restore -t:_VertexWriteJobRequest` with VertexTarget=Cloud.
    /// </summary>
    public ProcessResult BuildImage(string registry, string repository, IEnumerable<string>? properties = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var args = new List<string>
        {
            "msbuild", "-restore", "-t:_VertexWriteJobRequest", "-nologo", "-tl:off", "-v:m", "-nodeReuse:false",
            $"-p:VertexTrainingVersion={Package.Value.Version}",
            "-p:VertexTarget=Cloud", "-p:VertexProject=my-project", "-p:VertexArtifactRepository=training",
            $"-p:ContainerRegistry={registry}", $"-p:ContainerRepository={repository}",
            $"-p:VertexCudaImageRepository={LayersEnvironment.BaseImageRepository}",
        };
        args.AddRange((properties ?? []).Select(p => "-p:" + p));
        return Dotnet(args, environment);
    }

    public ProcessResult Dotnet(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = CleanEnvironment();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        return ProcessRunner.Run("dotnet", arguments, Directory, TimeSpan.FromMinutes(8), env);
    }

    /// <summary>The digest the job document pins (imageUri ...@sha256:...).</summary>
    public string PinnedDigest(ProcessResult build)
    {
        var files = System.IO.Directory.GetFiles(Path.Combine(Directory, "obj"), "job-request.json", SearchOption.AllDirectories);
        Assert.True(files.Length == 1, $"expected one job-request.json under obj/, found {files.Length}\n{build.Describe()}");
        var match = ImageUriPattern().Match(File.ReadAllText(files[0]));
        Assert.True(match.Success, $"no imageUri pinned by digest in {files[0]}");
        return match.Groups[1].Value;
    }

    /// <summary>The "(N built, M reused)" summary of a layered build.</summary>
    public static (int Built, int Reused) LayerSummary(ProcessResult build)
    {
        var match = SummaryPattern().Match(build.Output);
        Assert.True(match.Success, "no layered image summary in the build output\n" + build.Describe());
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A build server may still hold a file; the temp folder is cleaned by the next run's machine.
        }
    }

    [GeneratedRegex("\"imageUri\"\\s*:\\s*\"[^\"@]+@(sha256:[0-9a-f]{64})\"")]
    private static partial Regex ImageUriPattern();

    [GeneratedRegex(@"\((\d+) built, (\d+) reused\)")]
    private static partial Regex SummaryPattern();

    private static (string Feed, string Version) FindPackage()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var feed = Path.Combine(dir.FullName, "artifacts", "packages");
            if (File.Exists(Path.Combine(dir.FullName, "BuildTasks.sln")) || File.Exists(Path.Combine(dir.FullName, "BuildTasks.slnx")))
            {
                var newest = System.IO.Directory.Exists(feed)
                    ? new DirectoryInfo(feed).GetFiles("VertexTraining.Build.*.nupkg").OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()
                    : null;
                if (newest is null)
                {
                    throw new InvalidOperationException($"No VertexTraining.Build package in {feed}: pack it first (dotnet pack src/VertexTraining.Build -c Release; build/test.sh does).");
                }

                return (feed, newest.Name["VertexTraining.Build.".Length..^".nupkg".Length]);
            }
        }

        throw new InvalidOperationException($"No BuildTasks.sln above {AppContext.BaseDirectory}");
    }

    // Shared by the tests of one run (the runtime packs are large); NuGet caches by version, so the
    // VertexTraining package is removed once per run to always test the one just packed.
    private static string PreparePackagesFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "vertex-layers-tests", "packages");
        System.IO.Directory.CreateDirectory(folder);
        foreach (var stale in System.IO.Directory.GetDirectories(folder, "vertextraining.*"))
        {
            System.IO.Directory.Delete(stale, recursive: true);
        }

        return folder;
    }

    // The inherited environment minus MSBuild locations set by the test host, registry credentials
    // and variables MSBuild would read as Vertex*/Container* properties.
    private static Dictionary<string, string> CleanEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            var credential = name.StartsWith("DOTNET_CONTAINER_", StringComparison.Ordinal) && (name.EndsWith("_UNAME", StringComparison.Ordinal) || name.EndsWith("_PWORD", StringComparison.Ordinal));
            var msbuild = name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("MSBUILDDISABLE", StringComparison.Ordinal);
            var property = !name.Contains('_') && (name.StartsWith("Vertex", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Container", StringComparison.OrdinalIgnoreCase));
            if (!credential && !msbuild && !property && name is not ("DOTNET_HOST_PATH" or "NUGET_PACKAGES"))
            {
                env[name] = (string?)entry.Value ?? "";
            }
        }

        env["NUGET_PACKAGES"] = PackagesFolder.Value;
        env["DOCKER_CONFIG"] = Path.Combine(Path.GetTempPath(), "vertex-layers-tests", RunId, "docker-config");
        env["REGISTRY_AUTH_FILE"] = Path.Combine(env["DOCKER_CONFIG"], "containers-auth.json");
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        env["DOTNET_CLI_UI_LANGUAGE"] = "en";
        env["MSBUILDDISABLENODEREUSE"] = "1";
        return env;
    }
}
