namespace VertexTraining.Runtime.Tests;

/// <summary>What this machine offers, probed once per test run.</summary>
internal static class GpuMachine
{
    private static readonly Lazy<GpuProbeResult> LazyProbe = new(GpuCheck.Probe);

    public static GpuProbeResult Probe => LazyProbe.Value;

    /// <summary>A driver is present when one of its libraries loads, or when nvidia-smi is installed.</summary>
    public static bool HasDriver => Probe.DriverLibraryLoaded || NvidiaSmiInstalled();

    public static string Description =>
        $"driver libraries: {(Probe.Diagnostics.Count == 0 ? "ok" : string.Join("; ", Probe.Diagnostics))}";

    private static bool NvidiaSmiInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "nvidia-smi")));
}

/// <summary>A test that needs an NVIDIA driver; skipped, with the reason shown, where there is none.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!GpuMachine.HasDriver)
        {
            Skip = $"No NVIDIA driver library (libnvidia-ml.so.1, libcuda.so.1) and no nvidia-smi on this machine ({GpuMachine.Description})";
        }
    }
}

/// <summary>A test of the no-driver path on the real machine; skipped where a driver is present.</summary>
public sealed class NoGpuDriverFactAttribute : FactAttribute
{
    public NoGpuDriverFactAttribute()
    {
        if (GpuMachine.HasDriver)
        {
            Skip = "An NVIDIA driver is present on this machine, so the no-driver path cannot be observed";
        }
    }
}
