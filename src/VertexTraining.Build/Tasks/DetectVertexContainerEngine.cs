using Microsoft.Build.Framework;
using VertexTraining.Core.Local;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// Finds a working podman or docker for local runs, as dotnet-vertex local-run does
/// (<see cref="ContainerEngine.DetectAsync"/>). A local job runs each replica as a container when one
/// answers, else as a process of the published app.
/// </summary>
public sealed class DetectVertexContainerEngine : Microsoft.Build.Utilities.Task
{
    /// <summary>podman, docker, or empty when neither works.</summary>
    [Output]
    public string Engine { get; private set; } = "";

    /// <summary>Why the engine was or was not chosen, for the build output.</summary>
    [Output]
    public string Reason { get; private set; } = "";

    /// <summary>
    /// Why the engine cannot pull from the build's loopback registry (see
    /// <see cref="ContainerEngine.LoopbackUnreachableReason"/>); empty when it can.
    /// </summary>
    [Output]
    public string LoopbackReason { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        var detection = ContainerEngine.DetectAsync(new ExecutableLocator()).GetAwaiter().GetResult();
        Reason = detection.Reason;
        if (detection.Engine is { } engine)
        {
            Engine = engine.Name;
            LoopbackReason = engine.LoopbackUnreachableReason ?? "";
        }

        return true;
    }
}
