using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// The image the next layer of a layered build goes on: the one the layer before it pushed (see
/// <see cref="RecordVertexImageLayer"/>), or the project's base image for the first layer.
/// </summary>
public sealed class FindVertexLayerBase : Microsoft.Build.Utilities.Task
{
    /// <summary>Names one layered build: a value the targets make up once per image.</summary>
    [Required]
    public string Chain { get; set; } = "";

    /// <summary>The base image's registry (ContainerBaseRegistry).</summary>
    public string BaseRegistry { get; set; } = "";

    /// <summary>The base image's repository (ContainerBaseName).</summary>
    public string BaseName { get; set; } = "";

    /// <summary>The base image's tag (ContainerBaseTag).</summary>
    public string BaseTag { get; set; } = "";

    /// <summary>The base image's digest when the project pinned it (ContainerBaseDigest).</summary>
    public string BaseDigest { get; set; } = "";

    /// <summary>The base image as the first layer's tag names it: by resolved digest, or unresolved.</summary>
    [Required]
    public string BaseIdentity { get; set; } = "";

    /// <summary>The registry of the image below.</summary>
    [Output]
    public string Registry { get; private set; } = "";

    /// <summary>The repository of the image below.</summary>
    [Output]
    public string Name { get; private set; } = "";

    /// <summary>The tag of the image below; empty for a layer, which is pinned by digest.</summary>
    [Output]
    public string Tag { get; private set; } = "";

    /// <summary>The digest of the image below, when known.</summary>
    [Output]
    public string Digest { get; private set; } = "";

    /// <summary>The image below as <see cref="ComputeVertexLayerTag.Below"/> takes it.</summary>
    [Output]
    public string Identity { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        var below = LayerChain.For(BuildEngine4, Chain).Top ?? new LayerImage(BaseRegistry, BaseName, BaseTag, BaseDigest, BaseIdentity);
        (Registry, Name, Tag, Digest, Identity) = (below.Registry, below.Name, below.Tag, below.Digest, below.Identity);
        return true;
    }
}
