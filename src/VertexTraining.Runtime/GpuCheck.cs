namespace VertexTraining.Runtime;

/// <summary>
/// Checks that the GPUs a job asked for are visible to the training process, so a wrong machine shape or an
/// image that cannot find the NVIDIA driver fails in seconds instead of silently training on the CPU.
/// </summary>
/// <remarks>
/// The submitter puts the pool's request into <c>VERTEX_ACCELERATOR_COUNT</c> and <c>VERTEX_ACCELERATOR_TYPE</c>.
/// Visibility is asked of NVML (<c>libnvidia-ml.so.1</c>), then the CUDA driver (<c>libcuda.so.1</c>); on Vertex
/// AI these live in <c>/usr/local/nvidia/lib64</c>, which the image's <c>LD_LIBRARY_PATH</c> must include.
/// NVML counts the GPUs attached to the container and ignores <c>CUDA_VISIBLE_DEVICES</c>.
/// </remarks>
public static class GpuCheck
{
    private const string DriverDirectory = "/usr/local/nvidia/lib64";

    /// <summary>Probes the NVIDIA driver: the device count and, when it fails, why.</summary>
    public static GpuProbeResult Probe() => NvidiaDriver.Probe();

    /// <summary>The number of GPUs visible to this process, or <see langword="null"/> when no NVIDIA driver answered (unknown).</summary>
    public static int? VisibleDeviceCount() => Probe().DeviceCount;

    /// <summary>Checks the GPUs requested in this process's environment (see <see cref="TrainingEnvironment.EnsureGpus"/>).</summary>
    /// <exception cref="GpuNotAvailableException">Fewer GPUs are visible than were requested.</exception>
    /// <exception cref="TrainingEnvironmentException"><c>VERTEX_ACCELERATOR_COUNT</c> or a cluster variable cannot be read.</exception>
    public static void EnsureRequestedGpusVisible() => EnsureRequestedGpusVisible(TrainingEnvironment.Current);

    /// <summary>Checks the GPUs requested in <paramref name="environment"/>; does nothing when none were requested.</summary>
    /// <param name="environment">The environment that says how many GPUs were requested.</param>
    /// <exception cref="GpuNotAvailableException">Fewer GPUs are visible than were requested.</exception>
    public static void EnsureRequestedGpusVisible(TrainingEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        EnsureVisible(environment.AcceleratorCount, environment.AcceleratorType, Probe);
    }

    /// <summary>The check itself, with the probe injectable so every outcome can be tested without a GPU.</summary>
    internal static void EnsureVisible(int requested, string? acceleratorType, Func<GpuProbeResult> probe)
    {
        if (requested <= 0)
        {
            // Nothing to check, and no reason to touch the driver.
            return;
        }

        var result = probe();
        if (result.DeviceCount >= requested)
        {
            return;
        }

        var what = $"{requested} GPU{(requested == 1 ? "" : "s")}{(acceleratorType is null ? "" : $" ({acceleratorType})")} " +
                   $"{(requested == 1 ? "was" : "were")} requested through {TrainingEnvironment.AcceleratorCountVariable}";

        var problem = result switch
        {
            { DeviceCount: null, DriverLibraryLoaded: false } =>
                $"none are visible: no NVIDIA driver library ({NvidiaDriver.NvmlLibrary}, {NvidiaDriver.CudaLibrary}) could be loaded. " +
                $"Check the machine shape and that the image's LD_LIBRARY_PATH includes {DriverDirectory}.",
            { DeviceCount: null } =>
                $"none are visible: the NVIDIA driver did not answer ({string.Join("; ", result.Diagnostics)}). " +
                "Check the machine shape and that the driver libraries in the image match the host's driver.",
            { DeviceCount: 0 } =>
                $"none are visible: the NVIDIA driver ({result.Source}) reports 0 devices. " +
                "Check the machine shape (acceleratorType and acceleratorCount of this worker pool)" +
                (result.Source == NvidiaDriver.CudaLibrary ? " and CUDA_VISIBLE_DEVICES." : "."),
            _ =>
                $"only {result.DeviceCount} {(result.DeviceCount == 1 ? "is" : "are")} visible (reported by {result.Source}). " +
                "Check the machine shape (acceleratorCount of this worker pool).",
        };

        throw new GpuNotAvailableException(requested, result.DeviceCount, acceleratorType, $"{what} but {problem}");
    }
}
