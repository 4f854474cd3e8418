namespace VertexTraining.Core.Local;

/// <summary>How replicas run on this machine.</summary>
public enum ExecutionMode
{
    /// <summary>Containers when a usable engine and an image are available, else processes.</summary>
    Auto,

    /// <summary>Each replica a container of the built image (podman or docker).</summary>
    Container,

    /// <summary>Each replica a process of the published app.</summary>
    Process,
}
