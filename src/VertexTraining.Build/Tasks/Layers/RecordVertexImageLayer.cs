using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>Makes the image a layer was pushed (or reused) as the one the next layer of the build goes on.</summary>
public sealed class RecordVertexImageLayer : Microsoft.Build.Utilities.Task
{
    /// <summary>The layered build, as <see cref="FindVertexLayerBase.Chain"/>.</summary>
    [Required]
    public string Chain { get; set; } = "";

    /// <summary>The registry the layer's image is in.</summary>
    [Required]
    public string Registry { get; set; } = "";

    /// <summary>The repository the layer's image is in.</summary>
    [Required]
    public string Repository { get; set; } = "";

    /// <summary>The layer's image digest (sha256:...).</summary>
    [Required]
    public string Digest { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        // Named by repository and digest: the digest names the content, and the registry's address (a loopback
        // port that changes with every build) must not change the tag of the layer above.
        LayerChain.For(BuildEngine4, Chain).Top = new LayerImage(Registry, Repository, "", Digest, $"{Repository}@{Digest}");
        return true;
    }
}
