using System.Text;
using Microsoft.Build.Framework;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks;

/// <summary>Writes job-request.json: the exact Vertex request body, its image pinned by digest.</summary>
public sealed class WriteVertexJobRequest : VertexJobTask
{
    /// <summary>The pushed image as <c>registry/repository</c> (no tag).</summary>
    [Required]
    public string ImageName { get; set; } = "";

    /// <summary>The manifest digest the SDK produced (GeneratedContainerDigest), <c>sha256:...</c>.</summary>
    public string? ImageDigest { get; set; }

    /// <summary>
    /// False only for a local run in process mode, where no image is built: the document then names
    /// the image by <see cref="ImageName"/>:local, since nothing pulls it.
    /// </summary>
    public bool RequireDigest { get; set; } = true;

    /// <summary>Where to write the document.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <summary>The image reference written into every pool that runs our image.</summary>
    [Output]
    public string? ImageUri { get; private set; }

    /// <summary>CustomJob or HyperparameterTuningJob.</summary>
    [Output]
    public string? JobKind { get; private set; }

    /// <summary>The REST collection: customJobs or hyperparameterTuningJobs.</summary>
    [Output]
    public string? Collection { get; private set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!RequireDigest && string.IsNullOrWhiteSpace(ImageDigest))
        {
            ImageUri = $"{ImageName}:local";
        }
        else if (string.IsNullOrWhiteSpace(ImageDigest) || !ImageDigest.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return Log.LogVertexError(DiagnosticCodes.MissingImageDigest, "ImageDigest", DiagnosticFile,
                $"The container build returned no image digest ('{ImageDigest}'); the job must pin its image by digest. Check the PublishContainer output above.");
        }
        else
        {
            ImageUri = $"{ImageName}@{ImageDigest}";
        }

        var result = JobDocumentBuilder.Build(ReadInputs(), ImageUri);
        if (!Report(result.Diagnostics) || result.Document is null)
        {
            return false;
        }

        Collection = result.Document.Collection;
        JobKind = result.Document.IsTuningJob ? "HyperparameterTuningJob" : "CustomJob";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile))!);
            File.WriteAllText(OutputFile, result.Document.ToJson() + "\n", new UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Log.LogVertexError(DiagnosticCodes.DocumentWriteFailed, "VertexOutputDirectory", DiagnosticFile,
                $"Could not write the job document to {OutputFile}: {ex.Message}");
        }

        return true;
    }
}
