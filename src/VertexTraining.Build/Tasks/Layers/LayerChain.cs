using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>An image a layer can be built on: where it is and how the layer's tag names it.</summary>
internal sealed record LayerImage(string Registry, string Name, string Tag, string Digest, string Identity);

/// <summary>
/// The image the next layer of one layered build goes on. The layers are pushed by one target batched
/// over them, and a target batch does not see the properties an earlier batch set: so the image each
/// batch pushed is handed to the next through this object, kept by MSBuild for the build.
/// </summary>
internal sealed class LayerChain
{
    /// <summary>The image last pushed or reused; null before the first layer, which goes on the base.</summary>
    public LayerImage? Top { get; set; }

    /// <summary>The chain named <paramref name="chain"/>, created on first use.</summary>
    public static LayerChain For(IBuildEngine4 engine, string chain)
    {
        var key = "VertexTraining.LayerChain|" + chain;
        if (engine.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is not LayerChain found)
        {
            found = new LayerChain();
            engine.RegisterTaskObject(key, found, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: true);
        }

        return found;
    }
}
