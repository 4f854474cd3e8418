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
    /// <param name="origins">Relative path ('/' separators) to the NuGet package id it was published from.</param>
    /// <param name="runtimePackIds">NuGet ids of the resolved runtime packs (Microsoft.NETCore.App.Runtime.linux-x64, ...).</param>
    /// <param name="hashes">Content hashes of files, reused while a file keeps its size and time stamp.</param>
    public static IReadOnlyList<PlannedLayer> Plan(
        string publishDirectory,
        IReadOnlyDictionary<string, string> origins,
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

            var kind = origins.TryGetValue(relative, out var packageId) && packageId.Length > 0
                ? runtimePackIds.Contains(packageId) ? LayerKind.Runtime : LayerKind.Dependencies
                : LayerKind.App;
            files.Add(new PublishedFile(relative, entry.FullName, ((FileInfo)entry).Length, kind));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        var contentHashes = hashes.HashAll(files.Select(f => f.FullPath).ToList());

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
    /// Names each file's layer by where it was published from: a file published from a runtime
    /// pack belongs to the runtime, one from any other NuGet package to the dependencies.
    /// </summary>
    public static Dictionary<string, string> Origins(IEnumerable<(string RelativePath, string PackageId)> publishItems)
    {
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (relativePath, packageId) in publishItems)
        {
            origins[relativePath.Replace('\\', '/')] = packageId;
        }

        return origins;
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
