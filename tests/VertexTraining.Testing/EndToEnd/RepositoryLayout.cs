using System.IO.Compression;
using System.Xml.Linq;

namespace VertexTraining.Testing;

/// <summary>Where the repository, its test assets and the packed VertexTraining.Build package are.</summary>
public static class RepositoryLayout
{
    public const string PackageId = "VertexTraining.Build";

    // The package is built from these; a nupkg older than any of their files tests yesterday's code.
    private static readonly string[] PackageSourceFolders = ["src/VertexTraining.Build", "src/VertexTraining.Core", "src/VertexTraining.Cli"];

    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<PackedPackage> LazyPackage = new(FindPackage);

    public static string Root => LazyRoot.Value;

    /// <summary>
    /// artifacts/packages, or VERTEX_TEST_PACKAGES: a folder holding a package built elsewhere (for
    /// example from a clean checkout), tested as it is, without the staleness check against src/.
    /// </summary>
    public static string PackagesFolder => OverrideFolder ?? Path.Combine(Root, "artifacts", "packages");

    private static string? OverrideFolder => Environment.GetEnvironmentVariable("VERTEX_TEST_PACKAGES") is { Length: > 0 } folder ? Path.GetFullPath(folder) : null;

    public static string TestAssets => Path.Combine(Root, "testassets");

    /// <summary>The newest VertexTraining.Build nupkg in artifacts/packages; throws with the fix when missing or stale.</summary>
    public static PackedPackage Package => LazyPackage.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BuildTasks.sln")) || File.Exists(Path.Combine(dir.FullName, "BuildTasks.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No BuildTasks.sln above {AppContext.BaseDirectory}: the tests must run from the repository's build output.");
    }

    private static PackedPackage FindPackage()
    {
        var candidates = Directory.Exists(PackagesFolder)
            ? new DirectoryInfo(PackagesFolder).GetFiles(PackageId + ".*.nupkg")
                .Select(file => (File: file, Version: ReadVersion(file.FullName)))
                .Where(c => c.Version is not null)
                .OrderByDescending(c => c.File.LastWriteTimeUtc)
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                $"No {PackageId} package in {PackagesFolder}. Pack it first: dotnet pack src/VertexTraining.Build -c Release (build/test.sh does).");
        }

        var newest = candidates[0];
        var newerSource = OverrideFolder is not null ? null : PackageSourceFolders
            .SelectMany(folder => EnumerateSources(Path.Combine(Root, folder)))
            .Where(file => file.LastWriteTimeUtc > newest.File.LastWriteTimeUtc)
            .Select(file => Path.GetRelativePath(Root, file.FullName))
            .FirstOrDefault();
        if (newerSource is not null)
        {
            throw new InvalidOperationException(
                $"{newest.File.Name} ({newest.File.LastWriteTimeUtc:u}) is older than {newerSource}: these tests would check stale code. "
                + "Pack it again: dotnet pack src/VertexTraining.Build -c Release (build/test.sh does).");
        }

        return new PackedPackage(newest.File.FullName, newest.Version!);
    }

    private static IEnumerable<FileInfo> EnumerateSources(string folder) =>
        new DirectoryInfo(folder)
            .EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => f.Extension is ".cs" or ".props" or ".targets" or ".csproj" or ".pubxml" or ".json")
            .Where(f => !Path.GetRelativePath(folder, f.FullName).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    /// <summary>The version in the nuspec: file names can be ambiguous (VertexTraining.Build.Tasks.1.0.0).</summary>
    private static string? ReadVersion(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var nuspec = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/'));
        if (nuspec is null)
        {
            return null;
        }

        using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
        var id = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value;
        return string.Equals(id, PackageId, StringComparison.OrdinalIgnoreCase)
            ? metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "version")?.Value
            : null;
    }
}

/// <summary>A packed nupkg and its version.</summary>
public sealed record PackedPackage(string Path, string Version);
