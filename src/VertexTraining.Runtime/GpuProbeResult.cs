namespace VertexTraining.Runtime;

/// <summary>What probing the NVIDIA driver found.</summary>
/// <param name="DeviceCount">The number of visible GPUs, or <see langword="null"/> when no driver answered.</param>
/// <param name="Source">The driver library that answered (e.g. <c>libnvidia-ml.so.1</c>), or <see langword="null"/>.</param>
/// <param name="DriverLibraryLoaded">Whether any NVIDIA driver library could be loaded, even if it then failed to answer.</param>
/// <param name="Diagnostics">What was tried and why each attempt failed, in order, for error messages and logs.</param>
public sealed record GpuProbeResult(int? DeviceCount, string? Source, bool DriverLibraryLoaded, IReadOnlyList<string> Diagnostics)
{
    /// <summary>Whether an NVIDIA driver library loaded and answered.</summary>
    public bool DriverFound => DeviceCount is not null;
}
