using System.Runtime.InteropServices;

namespace VertexTraining.Runtime;

/// <summary>
/// Counts GPUs through the NVIDIA driver's own libraries, loaded at run time so that a machine without a
/// driver (a laptop, CI, a CPU-only pool) just reports "unknown" instead of throwing.
/// </summary>
/// <remarks>
/// NVML is asked first because it is cheap and does not create a CUDA context; the CUDA driver API is the
/// fallback for images that ship <c>libcuda</c> but not NVML. Libraries are deliberately never unloaded: the
/// CUDA driver does not support being unloaded after <c>cuInit</c>, and the training framework will load the
/// same libraries anyway.
/// </remarks>
internal static unsafe class NvidiaDriver
{
    private const int Success = 0;
    private const int CudaErrorNoDevice = 100;

    public static string NvmlLibrary => OperatingSystem.IsWindows() ? "nvml.dll" : "libnvidia-ml.so.1";

    public static string CudaLibrary => OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";

    public static GpuProbeResult Probe()
    {
        var diagnostics = new List<string>();
        var count = CountWithNvml(diagnostics, out var nvmlLoaded);
        if (count is not null)
        {
            return new GpuProbeResult(count, NvmlLibrary, DriverLibraryLoaded: true, diagnostics.AsReadOnly());
        }

        count = CountWithCuda(diagnostics, out var cudaLoaded);
        return new GpuProbeResult(count, count is null ? null : CudaLibrary, nvmlLoaded || cudaLoaded, diagnostics.AsReadOnly());
    }

    private static int? CountWithNvml(List<string> diagnostics, out bool loaded)
    {
        loaded = TryLoad(NvmlLibrary, diagnostics, out var library);
        if (!loaded
            || !TryGetExports(library, NvmlLibrary, diagnostics, ["nvmlInit_v2", "nvmlDeviceGetCount_v2", "nvmlShutdown"], out var exports))
        {
            return null;
        }

        var init = (delegate* unmanaged<int>)exports[0];
        var getCount = (delegate* unmanaged<uint*, int>)exports[1];
        var shutdown = (delegate* unmanaged<int>)exports[2];

        var status = init();
        if (status != Success)
        {
            diagnostics.Add($"{NvmlLibrary}: nvmlInit_v2 failed with NVML error {status}");
            return null;
        }

        try
        {
            uint count;
            status = getCount(&count);
            if (status != Success)
            {
                diagnostics.Add($"{NvmlLibrary}: nvmlDeviceGetCount_v2 failed with NVML error {status}");
                return null;
            }

            return (int)count;
        }
        finally
        {
            shutdown();
        }
    }

    private static int? CountWithCuda(List<string> diagnostics, out bool loaded)
    {
        loaded = TryLoad(CudaLibrary, diagnostics, out var library);
        if (!loaded
            || !TryGetExports(library, CudaLibrary, diagnostics, ["cuInit", "cuDeviceGetCount"], out var exports))
        {
            return null;
        }

        var init = (delegate* unmanaged<uint, int>)exports[0];
        var getCount = (delegate* unmanaged<int*, int>)exports[1];

        var status = init(0);
        if (status == CudaErrorNoDevice)
        {
            // The driver is there and answered: there is simply no device for this process.
            return 0;
        }

        if (status != Success)
        {
            diagnostics.Add($"{CudaLibrary}: cuInit failed with CUDA error {status}");
            return null;
        }

        int count;
        status = getCount(&count);
        if (status != Success)
        {
            diagnostics.Add($"{CudaLibrary}: cuDeviceGetCount failed with CUDA error {status}");
            return null;
        }

        return count;
    }

    private static bool TryLoad(string name, List<string> diagnostics, out IntPtr library)
    {
        if (NativeLibrary.TryLoad(name, out library))
        {
            return true;
        }

        diagnostics.Add($"{name} could not be loaded");
        return false;
    }

    private static bool TryGetExports(IntPtr library, string name, List<string> diagnostics, string[] functions, out IntPtr[] exports)
    {
        exports = new IntPtr[functions.Length];
        for (var i = 0; i < functions.Length; i++)
        {
            if (!NativeLibrary.TryGetExport(library, functions[i], out exports[i]))
            {
                diagnostics.Add($"{name} has no export {functions[i]}");
                return false;
            }
        }

        return true;
    }
}
