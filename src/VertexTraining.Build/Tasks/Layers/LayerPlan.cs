using System.Security.Cryptography;
using System.Text;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>The three parts of a training image, from the one that changes least to the one that changes most.</summary>
internal enum LayerKind
{
    /// <summary>The .NET runtime pack(s) of a self-contained app: changes with the SDK's runtime version.</summary>
    Runtime,

    /// <summary>NuGet package assets, native libraries included: changes when a package reference does.</summary>
    Dependencies,

    /// <summary>Everything else: the app's own assemblies, project references, deps.json, apphost, content.</summary>
    App,
}

/// <summary>One published file, as it will appear under the container's working directory.</summary>
/// <param name="RelativePath">Path below the publish folder, with '/' separators.</param>
/// <param name="FullPath">Where the file is on disk now.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="Kind">The layer it belongs to.</param>
internal sealed record PublishedFile(string RelativePath, string FullPath, long Length, LayerKind Kind);

/// <summary>Where a published file came from.</summary>
/// <param name="PackageId">NuGet package id, empty for the app's own files.</param>
/// <param name="PackageFile">id/version/path-inside-the-package when the file was copied unchanged out of the NuGet package folder.</param>
/// <param name="SourcePath">The file it was copied from.</param>
internal sealed record PublishOrigin(string PackageId, string? PackageFile, string? SourcePath);

/// <summary>The files of one layer and the hash of their content.</summary>
internal sealed record PlannedLayer(LayerKind Kind, IReadOnlyList<PublishedFile> Files, IReadOnlyList<string> Directories, string ContentHash)
{
    public long Length => Files.Sum(f => f.Length);

    /// <summary>Lower-case name used in tags, folders and messages.</summary>
    public string Name => Kind.ToString().ToLowerInvariant();
}

/// <summary>
/// Splits a publish folder into runtime, dependency and app layers. The folder itself is the truth
/// (the SDK's single-layer image holds exactly its content), the publish items only say where each
/// file came from: a runtime pack, another NuGet package, or neither.
/// </summary>
internal static class LayerPlanner
{
    /// <param name="publishDirectory">$(PublishDir).</param>
    /// <param name="origins">Relative path ('/' separators) to where it was published from.</param>
    /// <param name="runtimePackIds">NuGet ids of the resolved runtime packs (Microsoft.NETCore.App.Runtime.linux-x64, ...).</param>
    /// <param name="hashes">Content hashes of files, reused while a file keeps its size and time stamp.</param>
    public static IReadOnlyList<PlannedLayer> Plan(
        string publishDirectory,
        IReadOnlyDictionary<string, PublishOrigin> origins,
        ISet<string> runtimePackIds,
        FileHashCache hashes)
    {
        var root = Path.GetFullPath(publishDirectory);
        var files = new List<PublishedFile>();
        var emptyDirectories = new List<string>();
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.System,
        }))
        {
            var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            if (entry is DirectoryInfo directory)
            {
                if (!directory.EnumerateFileSystemInfos().Any())
                {
                    emptyDirectories.Add(relative);
                }

                continue;
            }

            var kind = origins.TryGetValue(relative, out var origin) && origin.PackageId.Length > 0
                ? runtimePackIds.Contains(origin.PackageId) ? LayerKind.Runtime : LayerKind.Dependencies
                : LayerKind.App;
            files.Add(new PublishedFile(relative, entry.FullName, ((FileInfo)entry).Length, kind));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));

        // A file copied unchanged out of the NuGet package folder is named by its package instead of
        // hashed: that folder is immutable per id and version (NuGet verifies it against the package's
        // hash when it extracts it), so the name is as good as the bytes and costs nothing to compute,
        // even on the first publish of a checkout with hundreds of megabytes of native libraries.
        var contentHashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var toHash = new List<string>();
        foreach (var file in files)
        {
            if (origins.TryGetValue(file.RelativePath, out var origin) && origin.PackageFile is { } packageFile
                && origin.SourcePath is { } source && new FileInfo(source) is { Exists: true } sourceFile && sourceFile.Length == file.Length)
            {
                contentHashes[file.FullPath] = "nuget:" + packageFile;
            }
            else
            {
                toHash.Add(file.FullPath);
            }
        }

        foreach (var (path, hash) in hashes.HashAll(toHash))
        {
            contentHashes[path] = hash;
        }

        var layers = new List<PlannedLayer>();
        foreach (var kind in new[] { LayerKind.Runtime, LayerKind.Dependencies, LayerKind.App })
        {
            var layerFiles = files.Where(f => f.Kind == kind).ToList();
            var directories = kind == LayerKind.App ? emptyDirectories.OrderBy(d => d, StringComparer.Ordinal).ToList() : [];
            layers.Add(new PlannedLayer(kind, layerFiles, directories, HashLayer(layerFiles, directories, contentHashes)));
        }

        return layers;
    }

    /// <summary>
    /// Where each published file came from, by its publish item: a file published from a runtime
    /// pack belongs to the runtime, one from any other NuGet package to the dependencies.
    /// </summary>
    /// <param name="publishItems">RelativePath, NuGetPackageId, NuGetPackageVersion and the source file of each publish item.</param>
    public static Dictionary<string, PublishOrigin> Origins(IEnumerable<(string RelativePath, string PackageId, string PackageVersion, string SourcePath)> publishItems)
    {
        var origins = new Dictionary<string, PublishOrigin>(StringComparer.Ordinal);
        foreach (var (relativePath, packageId, packageVersion, sourcePath) in publishItems)
        {
            origins[relativePath.Replace('\\', '/')] = new PublishOrigin(packageId, PackageFile(packageId, packageVersion, sourcePath), sourcePath.Length > 0 ? sourcePath : null);
        }

        return origins;
    }

    // .../<id>/<version>/lib/net8.0/X.dll -> <id>/<version>/lib/net8.0/X.dll; null when the file does not come
    // straight from an extracted package (e.g. trimmed or ReadyToRun-compiled into obj/).
    private static string? PackageFile(string packageId, string packageVersion, string sourcePath)
    {
        if (packageId.Length == 0 || packageVersion.Length == 0 || sourcePath.Length == 0)
        {
            return null;
        }

        var path = sourcePath.Replace('\\', '/');
        var marker = $"/{packageId}/{packageVersion}/";
        var index = path.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
        return index < 0 ? null : $"{packageId.ToLowerInvariant()}/{packageVersion.ToLowerInvariant()}/{path[(index + marker.Length)..]}";
    }

    // Paths, sizes and content only: time stamps, owners and folder order never enter the hash.
    private static string HashLayer(IReadOnlyList<PublishedFile> files, IReadOnlyList<string> directories, IReadOnlyDictionary<string, string> contentHashes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"f\0{file.RelativePath}\0{file.Length}\0{contentHashes[file.FullPath]}\n"));
        }

        foreach (var directory in directories)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"d\0{directory}\n"));
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
