namespace VertexTraining.Runtime;

/// <summary>Fewer GPUs are visible to the training process than its worker pool requested.</summary>
public sealed class GpuNotAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="requestedCount">GPUs requested per replica.</param>
    /// <param name="visibleCount">GPUs visible, or <see langword="null"/> when no driver answered.</param>
    /// <param name="acceleratorType">The requested accelerator type, if known.</param>
    /// <param name="message">The message.</param>
    public GpuNotAvailableException(int requestedCount, int? visibleCount, string? acceleratorType, string message)
        : base(message)
    {
        RequestedCount = requestedCount;
        VisibleCount = visibleCount;
        AcceleratorType = acceleratorType;
    }

    /// <summary>GPUs requested per replica (<c>VERTEX_ACCELERATOR_COUNT</c>).</summary>
    public int RequestedCount { get; }

    /// <summary>GPUs visible to the process, or <see langword="null"/> when no NVIDIA driver answered.</summary>
    public int? VisibleCount { get; }

    /// <summary>The requested accelerator type (<c>VERTEX_ACCELERATOR_TYPE</c>), if known.</summary>
    public string? AcceleratorType { get; }
}
