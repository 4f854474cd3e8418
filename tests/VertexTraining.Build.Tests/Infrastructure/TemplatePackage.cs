namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>
/// The packed VertexTraining.Templates (same feed and version as VertexTraining.Build), installed once
/// per run into a template hive of the run's own (`--debug:custom-hive`), so the machine's templates
/// are neither used nor changed.
/// </summary>
internal static class TemplatePackage
{
    public const string PackageId = "VertexTraining.Templates";
    private const string SourceFolder = "src/VertexTraining.Templates";
    private static readonly Lazy<string> LazyHive = new(Install);

    /// <summary>The hive the package is installed in; pass it to <see cref="TestProject.FromTemplate"/>.</summary>
    public static string Hive => LazyHive.Value;

    /// <summary>The nupkg of the Build package's version; throws with the fix when missing or older than its sources.</summary>
    public static string Path
    {
        get
        {
            var path = System.IO.Path.Combine(RepositoryLayout.PackagesFolder, $"{PackageId}.{RepositoryLayout.Package.Version}.nupkg");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"No {path}. Pack it first: dotnet pack {SourceFolder} -c Release -o artifacts/packages (build/test.sh does).");
            }

            var packed = File.GetLastWriteTimeUtc(path);
            var newer = Environment.GetEnvironmentVariable("VERTEX_TEST_PACKAGES") is { Length: > 0 } ? null
                : new DirectoryInfo(System.IO.Path.Combine(RepositoryLayout.Root, SourceFolder)).EnumerateFiles("*", SearchOption.AllDirectories)
                    .Where(f => !System.IO.Path.GetRelativePath(RepositoryLayout.Root, f.FullName).Split(System.IO.Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                    .FirstOrDefault(f => f.LastWriteTimeUtc > packed);
            if (newer is not null)
            {
                throw new InvalidOperationException($"{path} is older than {newer.FullName}: these tests would check stale templates. Pack again (build/test.sh does).");
            }

            return path;
        }
    }

    private static string Install()
    {
        var hive = System.IO.Path.Combine(TestRun.Root, "template-hive");
        var installed = TestProject.RunDotnetNew(["install", Path], hive, TestRun.Root);
        Assert.True(installed.ExitCode == 0 && !installed.TimedOut, "dotnet new install failed.\n" + installed.Describe());
        return hive;
    }
}
