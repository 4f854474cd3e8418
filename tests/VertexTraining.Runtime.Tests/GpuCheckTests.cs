using Xunit.Abstractions;

namespace VertexTraining.Runtime.Tests;

public class GpuCheckTests(ITestOutputHelper output)
{
    private const string NoDriverMessage =
        "3 GPUs (NVIDIA_TESLA_T4) were requested through VERTEX_ACCELERATOR_COUNT but none are visible: " +
        "no NVIDIA driver library (libnvidia-ml.so.1, libcuda.so.1) could be loaded. " +
        "Check the machine shape and that the image's LD_LIBRARY_PATH includes /usr/local/nvidia/lib64.";

    private static Func<GpuProbeResult> Probe(int? count, bool loaded = true, string? source = "libnvidia-ml.so.1", params string[] diagnostics) =>
        () => new GpuProbeResult(count, count is null ? null : source, loaded, diagnostics);

    private static Func<GpuProbeResult> MustNotProbe => () => throw new InvalidOperationException("the driver was probed");

    [Fact]
    public void Nothing_requested_passes_without_touching_the_driver()
    {
        GpuCheck.EnsureVisible(0, null, MustNotProbe);
        GpuCheck.EnsureRequestedGpusVisible(TrainingEnvironment.FromVariables(new Dictionary<string, string>()));
    }

    [Fact]
    public void Enough_visible_gpus_pass()
    {
        GpuCheck.EnsureVisible(2, "NVIDIA_L4", Probe(2));
        GpuCheck.EnsureVisible(1, "NVIDIA_L4", Probe(8));
    }

    [Fact]
    public void No_driver_library_gives_the_documented_message()
    {
        var e = Assert.Throws<GpuNotAvailableException>(() => GpuCheck.EnsureVisible(3, "NVIDIA_TESLA_T4", Probe(null, loaded: false)));

        Assert.Equal(NoDriverMessage, e.Message);
        Assert.Equal(3, e.RequestedCount);
        Assert.Null(e.VisibleCount);
        Assert.Equal("NVIDIA_TESLA_T4", e.AcceleratorType);
    }

    [Fact]
    public void A_driver_that_does_not_answer_says_why()
    {
        var e = Assert.Throws<GpuNotAvailableException>(() => GpuCheck.EnsureVisible(
            1, null, Probe(null, loaded: true, diagnostics: ["libnvidia-ml.so.1: nvmlInit_v2 failed with NVML error 9", "libcuda.so.1 could not be loaded"])));

        Assert.Equal(
            "1 GPU was requested through VERTEX_ACCELERATOR_COUNT but none are visible: the NVIDIA driver did not answer " +
            "(libnvidia-ml.so.1: nvmlInit_v2 failed with NVML error 9; libcuda.so.1 could not be loaded). " +
            "Check the machine shape and that the driver libraries in the image match the host's driver.",
            e.Message);
    }

    [Fact]
    public void Zero_devices_are_reported_as_such()
    {
        var e = Assert.Throws<GpuNotAvailableException>(() => GpuCheck.EnsureVisible(2, "NVIDIA_L4", Probe(0)));

        Assert.Equal(
            "2 GPUs (NVIDIA_L4) were requested through VERTEX_ACCELERATOR_COUNT but none are visible: the NVIDIA driver " +
            "(libnvidia-ml.so.1) reports 0 devices. Check the machine shape (acceleratorType and acceleratorCount of this worker pool).",
            e.Message);
        Assert.Equal(0, e.VisibleCount);
    }

    [Fact]
    public void Fewer_visible_than_requested_fails()
    {
        var e = Assert.Throws<GpuNotAvailableException>(() => GpuCheck.EnsureVisible(4, "NVIDIA_H100_80GB", Probe(2, source: "libcuda.so.1")));

        Assert.Equal(
            "4 GPUs (NVIDIA_H100_80GB) were requested through VERTEX_ACCELERATOR_COUNT but only 2 are visible (reported by libcuda.so.1). " +
            "Check the machine shape (acceleratorCount of this worker pool).",
            e.Message);
        Assert.Equal(2, e.VisibleCount);
    }

    [Fact]
    public void Probing_never_throws_and_explains_a_missing_answer()
    {
        var probe = GpuCheck.Probe();
        output.WriteLine($"visible: {probe.DeviceCount?.ToString() ?? "unknown"} via {probe.Source ?? "nothing"}; {string.Join("; ", probe.Diagnostics)}");

        if (probe.DeviceCount is null)
        {
            Assert.Null(probe.Source);
            Assert.NotEmpty(probe.Diagnostics);
        }

        Assert.Equal(probe.DeviceCount, GpuCheck.VisibleDeviceCount());
    }

    [NoGpuDriverFact]
    public void Requesting_gpus_on_this_driverless_machine_fails_with_the_message()
    {
        var env = TrainingEnvironment.FromVariables(new Dictionary<string, string>
        {
            ["VERTEX_ACCELERATOR_COUNT"] = "2",
        });

        var e = Assert.Throws<GpuNotAvailableException>(env.EnsureGpus);

        Assert.Equal(
            "2 GPUs were requested through VERTEX_ACCELERATOR_COUNT but none are visible: no NVIDIA driver library " +
            "(libnvidia-ml.so.1, libcuda.so.1) could be loaded. Check the machine shape and that the image's LD_LIBRARY_PATH includes /usr/local/nvidia/lib64.",
            e.Message);
    }

    [GpuFact]
    public void A_gpu_machine_sees_at_least_one_gpu()
    {
        var probe = GpuCheck.Probe();
        output.WriteLine($"visible: {probe.DeviceCount} via {probe.Source}; {string.Join("; ", probe.Diagnostics)}");

        Assert.True(GpuCheck.VisibleDeviceCount() >= 1, $"no GPU visible: {string.Join("; ", probe.Diagnostics)}");
        GpuCheck.EnsureVisible(1, null, GpuCheck.Probe);
    }
}
