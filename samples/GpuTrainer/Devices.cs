using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace GpuTrainer;

/// <summary>Picks the accelerator from <c>--device</c>: <c>gpu</c>, <c>cpu</c>, or <c>auto</c> (the first CUDA GPU ILGPU finds, else the CPU).</summary>
internal static class Devices
{
    public static readonly string[] Names = ["auto", "gpu", "cpu"];

    /// <summary>An ILGPU context that knows the CUDA devices (if the driver answers) and a CPU device using every core.</summary>
    public static Context CreateContext() =>
        Context.Create(builder => builder
            .Optimize(OptimizationLevel.O2)
            // ILGPU's default CPU device simulates a single multiprocessor; one per core lets groups run side by side.
            .CPU(new CPUDevice(numThreadsPerWarp: 4, numWarpsPerMultiprocessor: 4, numMultiprocessors: Environment.ProcessorCount))
            .Cuda());

    /// <summary>Why <paramref name="device"/> cannot be used here, or <see langword="null"/> when it can.</summary>
    public static string? Unavailable(Context context, string device) =>
        device == "gpu" && context.GetCudaDevices().Count == 0
            ? "--device=gpu, but ILGPU found no CUDA device: the NVIDIA driver (libcuda.so.1) is not loadable or lists no GPU. Use --device=auto to fall back to the CPU."
            : null;

    /// <summary>The accelerator for <paramref name="device"/>; check <see cref="Unavailable"/> first.</summary>
    public static Accelerator Create(Context context, string device)
    {
        var gpus = context.GetCudaDevices();
        return device == "cpu" || gpus.Count == 0
            ? context.CreateCPUAccelerator(0)
            : gpus[0].CreateAccelerator(context);
    }
}
