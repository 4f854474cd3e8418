namespace VertexTraining.Local.Tests;

/// <summary>Where the repository, the dotnet host and the tool under test are.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> LazyRepoRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BuildTasks.sln")) || File.Exists(Path.Combine(directory.FullName, "BuildTasks.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No BuildTasks.sln above {AppContext.BaseDirectory}.");
    });

    public static string RepoRoot => LazyRepoRoot.Value;

    /// <summary>The dotnet host running the tests (testhost runs under it), else DOTNET_HOST_PATH, else /usr/share/dotnet/dotnet.</summary>
    public static string DotnetHost
    {
        get
        {
            if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                return self;
            }

            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
                ? host
                : "/usr/share/dotnet/dotnet";
        }
    }

    /// <summary>dotnet-vertex.dll, copied next to the tests by the project reference.</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "dotnet-vertex.dll");
}
