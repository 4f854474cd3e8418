using System.Diagnostics;

namespace VertexTraining.Testing;

/// <summary>
/// State shared by every test of one run: a temp root holding the NuGet global packages folder
/// (so the linux-x64 runtime pack downloads once per run, and never into ~/.nuget/packages, where a
/// stale VertexTraining.Build of the same version would be picked up), the binlogs, and an empty
/// docker config so no credentials of the machine's user leak into a test.
/// </summary>
public static class TestRun
{
    private const string RunPrefix = "run-";
    private static readonly Lazy<string> LazyRoot = new(CreateRoot);
    private static int _sequence;

    public static string Root => LazyRoot.Value;

    public static string GlobalPackagesFolder => Path.Combine(Root, "packages");

    public static string LogsFolder => Path.Combine(Root, "logs");

    public static string DockerConfigFolder => Path.Combine(Root, "docker-config");

    /// <summary>An empty gcloud config folder: no application default credentials of this machine's user.</summary>
    public static string GcloudConfigFolder => Path.Combine(Root, "gcloud-config");

    /// <summary>Project copies are deleted after each test unless this is set (binlogs are always kept).</summary>
    public static bool KeepProjects => Environment.GetEnvironmentVariable("VERTEX_TEST_KEEP_PROJECTS") == "1";

    /// <summary>A name unique within the run, readable in logs and registry listings.</summary>
    public static string UniqueName(string stem) =>
        $"{stem}-{Interlocked.Increment(ref _sequence):D3}-{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();

    private static string CreateRoot()
    {
        var parent = Path.Combine(Path.GetTempPath(), "vertex-build-tests");
        Directory.CreateDirectory(parent);
        RemoveFinishedRuns(parent);
        var root = Path.Combine(parent, $"{RunPrefix}{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(Path.Combine(root, "packages"));
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        Directory.CreateDirectory(Path.Combine(root, "docker-config"));
        // podman refuses to pull at all when REGISTRY_AUTH_FILE names a missing file: an empty one, as a user without logins has.
        File.WriteAllText(Path.Combine(root, "docker-config", "containers-auth.json"), "{\"auths\":{}}");
        Directory.CreateDirectory(Path.Combine(root, "gcloud-config"));
        return root;
    }

    /// <summary>
    /// Deletes earlier runs whose test process has ended, except the newest one, whose binlogs a
    /// developer may still be reading. Runs of live processes (parallel test runs) are left alone.
    /// </summary>
    private static void RemoveFinishedRuns(string parent)
    {
        var finished = new DirectoryInfo(parent).GetDirectories(RunPrefix + "*")
            .Where(dir => !IsAlive(dir.Name))
            .OrderByDescending(dir => dir.CreationTimeUtc)
            .Skip(1);
        foreach (var dir in finished)
        {
            try
            {
                dir.Delete(recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another run may be cleaning up too; leftovers only cost disk space.
            }
        }
    }

    private static bool IsAlive(string runFolderName)
    {
        var pidText = runFolderName[(runFolderName.LastIndexOf('-') + 1)..];
        if (!int.TryParse(pidText, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
