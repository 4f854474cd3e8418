using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Splits the publish folder into the runtime, dependency and app layers of the training image,
/// each staged as its own folder, with a hash of its content (paths, sizes and bytes only, so the
/// same content always gives the same hash, whenever and wherever it was published).
/// </summary>
public sealed class StageVertexImageLayers : Microsoft.Build.Utilities.Task
{
    /// <summary>$(PublishDir): every file in it goes into exactly one layer.</summary>
    [Required]
    public string PublishDirectory { get; set; } = "";

    /// <summary>@(ResolvedFileToPublish): RelativePath, NuGetPackageId, NuGetPackageVersion and the item itself (the source file) say where each file came from.</summary>
    public ITaskItem[] PublishedFiles { get; set; } = [];

    /// <summary>@(ResolvedRuntimePack): files from these packages form the runtime layer.</summary>
    public ITaskItem[] RuntimePacks { get; set; } = [];

    /// <summary>Folder that receives one sub-folder per layer (replaced on every run).</summary>
    [Required]
    public string StagingDirectory { get; set; } = "";

    /// <summary>
    /// runtime, dependencies and app, in that order, with metadata LayerDirectory (the staged folder),
    /// ContentHash, FileCount and SizeText.
    /// </summary>
    [Output]
    public ITaskItem[] Layers { get; private set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        try
        {
            var staging = Path.GetFullPath(StagingDirectory);
            var hashes = new FileHashCache(Path.Combine(staging, "file-hashes.tsv"));
            var origins = LayerPlanner.Origins(PublishedFiles.Select(f => (
                f.GetMetadata("RelativePath") is { Length: > 0 } relative ? relative : f.GetMetadata("DestinationSubPath"),
                f.GetMetadata("NuGetPackageId"),
                f.GetMetadata("NuGetPackageVersion"),
                f.GetMetadata("FullPath"))));
            var runtimePackIds = new HashSet<string>(
                RuntimePacks.Select(p => p.GetMetadata("NuGetPackageId") is { Length: > 0 } id ? id : p.ItemSpec),
                StringComparer.OrdinalIgnoreCase);

            var plan = LayerPlanner.Plan(PublishDirectory, origins, runtimePackIds, hashes);
            var layers = new List<ITaskItem>();
            foreach (var layer in plan)
            {
                var directory = Path.Combine(staging, layer.Name) + Path.DirectorySeparatorChar;
                var copied = LayerStager.Stage(layer, directory);
                var item = new TaskItem(layer.Name);
                item.SetMetadata("LayerDirectory", directory);
                item.SetMetadata("ContentHash", layer.ContentHash);
                item.SetMetadata("FileCount", layer.Files.Count.ToString(CultureInfo.InvariantCulture));
                var size = SizeText(layer.Length);
                item.SetMetadata("SizeText", size);
                layers.Add(item);
                Log.LogMessage(MessageImportance.Normal,
                    $"VertexTraining: {layer.Name} layer: {layer.Files.Count} files, {size}, content {layer.ContentHash[..16]}"
                    + (copied > 0 ? $" ({copied} copied: no hard link possible)" : ""));
            }

            hashes.Save();
            Log.LogMessage(MessageImportance.Low, $"VertexTraining: hashed {hashes.FilesHashed} changed files");
            Layers = [.. layers];
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Log.LogVertexError(VertexTraining.Core.Diagnostics.DiagnosticCodes.LayerStagingFailed, "VertexImageLayers", BuildEngine.ProjectFileOfTaskNode,
                $"Could not split {PublishDirectory} into image layers in {StagingDirectory}: {ex.Message}. "
                + "Set VertexImageLayers=single to build the image as one layer.");
        }
    }

    internal static string SizeText(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
