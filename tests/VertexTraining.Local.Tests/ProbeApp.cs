namespace VertexTraining.Local.Tests;

/// <summary>
/// testassets/DistributedProbe, built once per test run outside the source tree (--artifacts-path), as the two
/// things the local runner is given: the published linux-x64 app (process mode) and the image archive the SDK
/// builds on the CUDA stand-in base (container mode, non-root user 1000 as the product's image defaults).
/// </summary>
internal static class ProbeApp
{
    private const string ImageRepository = "vtx-local-tests-probe";
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(6);

    // What earlier runs left (the test host may be stopped before its exit handlers finish) is removed once
    // it is older than any run could be.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(3);
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    private static readonly string Parent = Path.Combine(Path.GetTempPath(), "vertex-local-tests");
    private static readonly string Root = Path.Combine(Parent, "probe-" + RunId);
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static readonly Lazy<Task<string>> LazyApp = new(PublishAppAsync);
    private static readonly Lazy<Task<string>> LazyArchive = new(PublishImageAsync);

    static ProbeApp()
    {
        RemoveStaleBuilds();

        // The builds are large (a self-contained app, twice) and so is the loaded image; nothing needs them after the run.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (LazyArchive.IsValueCreated && LazyArchive.Value.IsCompletedSuccessfully
                    && VertexTraining.Core.Local.ImageArchive.Read(LazyArchive.Value.Result).Id is { } imageId)
                {
                    using var remove = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("podman", $"rmi -f {imageId}")
                    {
                        UseShellExecute = false,
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                    });
                    remove?.WaitForExit(10_000);
                }

                Directory.Delete(Root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                // Best effort.
            }
        };
    }

    public static string Project => Path.Combine(TestPaths.RepoRoot, "testassets", "DistributedProbe", "DistributedProbe.csproj");

    /// <summary>The published executable.</summary>
    public static Task<string> AppAsync() => LazyApp.Value;

    /// <summary>The image archive (OCI layout tarball) built by -t:PublishContainer.</summary>
    public static Task<string> ImageArchiveAsync() => LazyArchive.Value;

    private static async Task<string> PublishAppAsync()
    {
        var output = Path.Combine(Root, "app");
        await PublishAsync("app",
        [
            "publish", Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
            "--artifacts-path", Path.Combine(Root, "artifacts-app"), "-o", output,
        ]);
        var app = Path.Combine(output, "DistributedProbe");
        Assert.True(File.Exists(app), $"dotnet publish did not produce {app}");
        return app;
    }

    private static async Task<string> PublishImageAsync()
    {
        var archive = Path.Combine(Root, "distributedprobe-image.tar.gz");
        await PublishAsync("image",
        [
            "publish", Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-t:PublishContainer",
            $"-p:ContainerBaseImage={TestEnvironment.CudaBaseImage}",
            $"-p:ContainerArchiveOutputPath={archive}",
            $"-p:ContainerRepository={ImageRepository}",
            $"-p:ContainerImageTag={RunId}",
            "-p:ContainerUser=1000",
            "--artifacts-path", Path.Combine(Root, "artifacts-image"),
        ]);
        Assert.True(File.Exists(archive), $"dotnet publish -t:PublishContainer did not produce {archive}");
        await RemoveStaleImagesAsync();
        return archive;
    }

    private static void RemoveStaleBuilds()
    {
        if (!Directory.Exists(Parent))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(Parent, "probe-*"))
        {
            try
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(directory) > StaleAfter)
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another run may be removing it too.
            }
        }
    }

    // Each run tags its image with its own id; images of runs long finished are removed.
    private static async Task RemoveStaleImagesAsync()
    {
        var listed = await Commands.RunAsync("podman", ["images", "--filter", $"reference=*{ImageRepository}*", "--format", "json"], TimeSpan.FromSeconds(60));
        if (listed.ExitCode != 0)
        {
            return;
        }

        using var images = System.Text.Json.JsonDocument.Parse(listed.Output);
        foreach (var image in images.RootElement.EnumerateArray())
        {
            var names = image.TryGetProperty("Names", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.Array
                ? n.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [];
            var created = DateTimeOffset.FromUnixTimeSeconds(image.GetProperty("Created").GetInt64());
            if (!names.Any(name => name.EndsWith(":" + RunId, StringComparison.Ordinal)) && DateTimeOffset.UtcNow - created > StaleAfter)
            {
                await Commands.RunAsync("podman", ["rmi", "-f", image.GetProperty("Id").GetString()!], TimeSpan.FromSeconds(60));
            }
        }
    }

    // One build at a time: both builds compile the runtime library, and two cores are all there is.
    private static async Task PublishAsync(string what, string[] arguments)
    {
        await BuildGate.WaitAsync();
        try
        {
            var result = await Commands.RunAsync(TestPaths.DotnetHost, [.. arguments, "--disable-build-servers", "-nodeReuse:false", "-v:q", "-nologo"],
                PublishTimeout, workingDirectory: Path.GetDirectoryName(Project));
            Assert.True(result.ExitCode == 0, $"Publishing the probe {what} failed (exit {result.ExitCode}):\n{result.All}");
        }
        finally
        {
            BuildGate.Release();
        }
    }
}
