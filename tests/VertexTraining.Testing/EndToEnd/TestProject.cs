using System.Collections;

namespace VertexTraining.Testing;

/// <summary>
/// A copy of one test asset in its own temp folder, shielded from the repository and the machine:
/// its own nuget.config (the local package feed plus nuget.org, the run's global packages folder),
/// empty Directory.Build.props/.targets and Directory.Packages.props so nothing above it is imported,
/// and a clean environment for every `dotnet` it runs. Each run writes a binlog that is kept.
/// </summary>
public sealed class TestProject : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(8);

    /// <summary>A loopback port nothing listens on (the discard port).</summary>
    public const string ClosedPort = "127.0.0.1:9";

    private const string EmptyProject = "<Project />\n";
    private const string AssetSuffix = ".asset";
    private int _invocations;

    private TestProject(string asset, string directory)
    {
        Asset = asset;
        Directory = directory;
        ProjectFile = System.IO.Directory.GetFiles(directory, "*.csproj").Single();
    }

    public string Asset { get; }

    public string Directory { get; }

    public string ProjectFile { get; }

    public string Name => Path.GetFileName(Directory);

    /// <summary>
    /// Copies testassets/<paramref name="asset"/> (or <paramref name="assetsFolder"/>/<paramref name="asset"/>)
    /// into a fresh folder of this run. A file named <c>*.asset</c> is copied without that suffix, so an
    /// asset kept inside a test project (Program.cs.asset) is not compiled into the test project itself.
    /// </summary>
    public static TestProject Create(string asset, string? stem = null, string? assetsFolder = null)
    {
        var source = Path.Combine(assetsFolder ?? RepositoryLayout.TestAssets, asset);
        if (!System.IO.Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"No test asset {source}");
        }

        var directory = Path.Combine(TestRun.Root, TestRun.UniqueName(stem ?? asset));
        CopyDirectory(source, directory);
        Shield(directory);
        return new TestProject(asset, directory);
    }

    /// <summary>
    /// A project that `dotnet new <paramref name="template"/>` writes into a fresh folder shielded as
    /// <see cref="Create"/>'s are; <paramref name="hive"/> is the template hive it was installed into.
    /// </summary>
    public static TestProject FromTemplate(string template, string hive, string stem, IEnumerable<string> options)
    {
        var directory = Path.Combine(TestRun.Root, TestRun.UniqueName(stem));
        System.IO.Directory.CreateDirectory(directory);
        Shield(directory);
        var created = RunDotnetNew([template, "-o", directory, .. options], hive, directory);
        Assert.True(created.ExitCode == 0 && !created.TimedOut, "dotnet new failed.\n" + created.Describe());
        return new TestProject(template, directory);
    }

    /// <summary>Runs `dotnet new` with the templates of <paramref name="hive"/> only, in the tests' clean environment.</summary>
    public static ProcessResult RunDotnetNew(IEnumerable<string> arguments, string hive, string workingDirectory) =>
        ProcessRunner.Run("dotnet", ["new", .. arguments, "--debug:custom-hive", hive], workingDirectory, DefaultTimeout, null, CleanEnvironment());

    /// <summary>Empty Directory.Build.* files and a nuget.config with the local feed and the run's package folder.</summary>
    private static void Shield(string directory)
    {
        var package = RepositoryLayout.Package;
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), EmptyProject);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), EmptyProject);
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), EmptyProject);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{TestRun.GlobalPackagesFolder}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{Path.GetDirectoryName(package.Path)}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>
    /// Runs `dotnet <paramref name="arguments"/>` in the project folder with a binlog, the package
    /// version and a clean environment. <paramref name="environment"/> adds variables (null removes).
    /// </summary>
    public BuildResult Dotnet(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var args = arguments.ToList();
        var verb = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "dotnet";
        var binlog = Path.Combine(TestRun.LogsFolder, $"{Name}-{Interlocked.Increment(ref _invocations)}-{verb}.binlog");
        args.AddRange([
            $"-bl:{binlog}",
            "-nodeReuse:false",
            "-tl:off",
            "-clp:NoSummary",
            $"-p:VertexTrainingVersion={RepositoryLayout.Package.Version}",
        ]);
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            env[name] = value;
        }

        var process = ProcessRunner.Run("dotnet", args, Directory, timeout ?? DefaultTimeout, env, CleanEnvironment());
        return new BuildResult(process, binlog);
    }

    public BuildResult Dotnet(params string[] arguments) => Dotnet((IEnumerable<string>)arguments);

    /// <summary>The folders our targets write to: obj/**/vertex (not obj/vertex-image, the inner restore).</summary>
    public IReadOnlyList<string> VertexOutputFolders =>
        System.IO.Directory.Exists(Path.Combine(Directory, "obj"))
            ? [.. System.IO.Directory.GetDirectories(Path.Combine(Directory, "obj"), "vertex", SearchOption.AllDirectories)]
            : [];

    /// <summary>Every file under the project folder with this name.</summary>
    public IReadOnlyList<string> FindFiles(string fileName) =>
        [.. System.IO.Directory.GetFiles(Directory, fileName, SearchOption.AllDirectories)];

    /// <summary>The single obj/**/vertex/<paramref name="fileName"/>; fails the test with the build's story when absent.</summary>
    public string VertexFile(string fileName, BuildResult? build = null)
    {
        var files = VertexOutputFolders.Select(f => Path.Combine(f, fileName)).Where(File.Exists).ToList();
        Assert.True(files.Count == 1, $"Expected one obj/**/vertex/{fileName} in {Directory}, found {files.Count}.\n{build?.Describe()}");
        return files[0];
    }

    public void Dispose()
    {
        if (TestRun.KeepProjects)
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A compiler server may still hold a file; the next run removes the whole run folder.
        }
    }

    /// <summary>
    /// The inherited environment minus what would make a build depend on the machine or on the test
    /// host: MSBuild locations set by `dotnet test`, registry credentials, and variables MSBuild would
    /// read as Vertex* or Container* properties. Credentials come only from what a test passes.
    /// </summary>
    private static Dictionary<string, string> CleanEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (IsInherited(name))
            {
                env[name] = (string?)entry.Value ?? "";
            }
        }

        env["NUGET_PACKAGES"] = TestRun.GlobalPackagesFolder;
        env["DOCKER_CONFIG"] = TestRun.DockerConfigFolder;
        env["REGISTRY_AUTH_FILE"] = Path.Combine(TestRun.DockerConfigFolder, "containers-auth.json");
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        env["DOTNET_CLI_UI_LANGUAGE"] = "en";
        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["NUGET_XMLDOC_MODE"] = "skip";

        // Google: no credentials of this machine, and every endpoint a closed loopback port, so a
        // test that submits by mistake fails fast instead of reaching Google. FakeGoogleCloud
        // overrides these for the tests that do submit.
        env["CLOUDSDK_CONFIG"] = TestRun.GcloudConfigFolder;
        env["GCE_METADATA_HOST"] = ClosedPort;
        env["VERTEX_API_ENDPOINT"] = "http://" + ClosedPort;
        env["VERTEX_LOGGING_ENDPOINT"] = "http://" + ClosedPort;
        env["VERTEX_QUOTA_ENDPOINT"] = "http://" + ClosedPort;
        return env;
    }

    private static bool IsInherited(string name)
    {
        if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("MSBUILDDISABLE", StringComparison.Ordinal)
            || name is "DOTNET_HOST_PATH" or "DOTNET_CLI_HOME" or "NUGET_PACKAGES"
            || name.StartsWith("GOOGLE_", StringComparison.Ordinal) || name.StartsWith("CLOUDSDK_", StringComparison.Ordinal))
        {
            return false;
        }

        if (name.StartsWith("DOTNET_CONTAINER_", StringComparison.Ordinal) && (name.EndsWith("_UNAME", StringComparison.Ordinal) || name.EndsWith("_PWORD", StringComparison.Ordinal)))
        {
            return false;
        }

        // MSBuild turns every environment variable into a property: a stray VertexProject or
        // ContainerRegistry on the machine would change what the test builds.
        var looksLikeProperty = !name.Contains('_');
        return !(looksLikeProperty && (name.StartsWith("Vertex", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Container", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("PublishProfile", StringComparison.OrdinalIgnoreCase)));
    }

    private static void CopyDirectory(string source, string destination)
    {
        System.IO.Directory.CreateDirectory(destination);
        foreach (var file in System.IO.Directory.GetFiles(source))
        {
            var name = Path.GetFileName(file);
            File.Copy(file, Path.Combine(destination, name.EndsWith(AssetSuffix, StringComparison.Ordinal) ? name[..^AssetSuffix.Length] : name));
        }

        foreach (var dir in System.IO.Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(dir);
            if (name is not ("bin" or "obj"))
            {
                CopyDirectory(dir, Path.Combine(destination, name));
            }
        }
    }
}
