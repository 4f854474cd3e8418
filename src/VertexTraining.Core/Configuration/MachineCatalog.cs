namespace VertexTraining.Core.Configuration;

/// <summary>
/// Which accelerator fits which machine type, and in what counts (cloud.google.com/vertex-ai/docs/training/configure-compute, GPU table; from Google's
/// "Configure compute resources for custom training" table). Checked before anything is built,
/// because Vertex only rejects a wrong shape after the image has been pushed.
/// </summary>
public static class MachineCatalog
{
    private static readonly string[] N1Small = ["n1-standard-4", "n1-standard-8", "n1-highmem-2", "n1-highmem-4", "n1-highmem-8"];
    private static readonly string[] N1Medium = ["n1-standard-16", "n1-highmem-16", "n1-highcpu-16"];
    private static readonly string[] N1Large = ["n1-standard-32", "n1-highmem-32", "n1-highcpu-32"];
    private static readonly string[] N1Cpu64 = ["n1-highcpu-64"];
    private static readonly string[] N1Huge = ["n1-standard-64", "n1-standard-96", "n1-highmem-64", "n1-highmem-96", "n1-highcpu-96"];

    // acceleratorType -> machineType -> valid acceleratorCount values.
    private static readonly Dictionary<string, Dictionary<string, int[]>> Fits = Build();

    /// <summary>Machine type families whose machines come with GPUs attached.</summary>
    private static readonly string[] GpuOnlyFamilies = ["a2", "a3", "a4", "a4x", "g2", "g4"];

    /// <summary>All accelerator type names we know, in a stable order for messages.</summary>
    public static IReadOnlyList<string> AcceleratorTypes { get; } = [.. Fits.Keys];

    public static bool IsKnownAccelerator(string acceleratorType) => Fits.ContainsKey(acceleratorType);

    public static bool IsTpu(string acceleratorType) => acceleratorType.StartsWith("TPU_", StringComparison.Ordinal);

    /// <summary>Machine types that take this accelerator, for error messages.</summary>
    public static IReadOnlyList<string> MachineTypesFor(string acceleratorType) =>
        Fits.TryGetValue(acceleratorType, out var machines) ? [.. machines.Keys] : [];

    /// <summary>Valid counts, or null when the accelerator does not fit this machine type.</summary>
    public static IReadOnlyList<int>? CountsFor(string acceleratorType, string machineType)
    {
        if (!Fits.TryGetValue(acceleratorType, out var machines) || !machines.TryGetValue(machineType, out var counts))
        {
            return null;
        }

        return counts;
    }

    /// <summary>The accelerators a GPU-only machine type is sold with (e.g. a2-highgpu-1g → NVIDIA_TESLA_A100).</summary>
    public static IReadOnlyList<string> AcceleratorsForMachine(string machineType) =>
        [.. Fits.Where(f => f.Value.ContainsKey(machineType)).Select(f => f.Key)];

    /// <summary>True for machine types that cannot run without their accelerator (A2, A3, A4, G2, G4).</summary>
    public static bool RequiresAccelerator(string machineType)
    {
        var family = machineType.Split('-')[0];
        return GpuOnlyFamilies.Contains(family, StringComparer.Ordinal);
    }

    private static Dictionary<string, Dictionary<string, int[]>> Build()
    {
        var fits = new Dictionary<string, Dictionary<string, int[]>>(StringComparer.Ordinal);

        void N1(string type, int[] small, int[] medium, int[] large, int[] cpu64, int[] huge)
        {
            var machines = new Dictionary<string, int[]>(StringComparer.Ordinal);
            foreach (var (names, counts) in new[] { (N1Small, small), (N1Medium, medium), (N1Large, large), (N1Cpu64, cpu64), (N1Huge, huge) })
            {
                if (counts.Length == 0)
                {
                    continue;
                }

                foreach (var name in names)
                {
                    machines[name] = counts;
                }
            }

            fits[type] = machines;
        }

        N1("NVIDIA_TESLA_P4", [1, 2, 4], [1, 2, 4], [2, 4], [4], [4]);
        N1("NVIDIA_TESLA_P100", [1, 2, 4], [1, 2, 4], [2, 4], [4], []);
        N1("NVIDIA_TESLA_T4", [1, 2, 4], [1, 2, 4], [2, 4], [4], [4]);
        N1("NVIDIA_TESLA_V100", [1, 2, 4, 8], [2, 4, 8], [4, 8], [8], [8]);

        fits["NVIDIA_TESLA_A100"] = new(StringComparer.Ordinal)
        {
            ["a2-highgpu-1g"] = [1], ["a2-highgpu-2g"] = [2], ["a2-highgpu-4g"] = [4], ["a2-highgpu-8g"] = [8], ["a2-megagpu-16g"] = [16],
        };
        fits["NVIDIA_A100_80GB"] = new(StringComparer.Ordinal)
        {
            ["a2-ultragpu-1g"] = [1], ["a2-ultragpu-2g"] = [2], ["a2-ultragpu-4g"] = [4], ["a2-ultragpu-8g"] = [8],
        };
        fits["NVIDIA_L4"] = new(StringComparer.Ordinal)
        {
            ["g2-standard-4"] = [1], ["g2-standard-8"] = [1], ["g2-standard-12"] = [1], ["g2-standard-16"] = [1], ["g2-standard-32"] = [1],
            ["g2-standard-24"] = [2], ["g2-standard-48"] = [4], ["g2-standard-96"] = [8],
        };
        fits["NVIDIA_H100_80GB"] = new(StringComparer.Ordinal)
        {
            ["a3-highgpu-1g"] = [1], ["a3-highgpu-2g"] = [2], ["a3-highgpu-4g"] = [4], ["a3-highgpu-8g"] = [8],
        };
        fits["NVIDIA_H100_MEGA_80GB"] = new(StringComparer.Ordinal) { ["a3-megagpu-8g"] = [8] };
        fits["NVIDIA_H200_141GB"] = new(StringComparer.Ordinal) { ["a3-ultragpu-8g"] = [8] };
        fits["NVIDIA_B200"] = new(StringComparer.Ordinal) { ["a4-highgpu-8g"] = [8] };
        fits["NVIDIA_GB200"] = new(StringComparer.Ordinal) { ["a4x-highgpu-4g"] = [4] };
        fits["NVIDIA_RTX_PRO_6000"] = new(StringComparer.Ordinal)
        {
            ["g4-standard-48"] = [1], ["g4-standard-96"] = [2], ["g4-standard-192"] = [4], ["g4-standard-384"] = [8],
        };

        // TPU pods come in multiples of 32 cores; list the common ones so the message stays useful.
        fits["TPU_V2"] = new(StringComparer.Ordinal) { ["cloud-tpu"] = [8, 32, 64, 128, 256, 512] };
        fits["TPU_V3"] = new(StringComparer.Ordinal) { ["cloud-tpu"] = [8, 32, 64, 128, 256, 512, 1024, 2048] };
        // TPU v4 slices are counted like v2/v3, in TensorCores (two per chip: v4-8 is four chips, 2x2x1), on cloud-tpu;
        // the slice's shape goes in tpuTopology.
        fits["TPU_V4_POD"] = new(StringComparer.Ordinal) { ["cloud-tpu"] = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] };
        // TPU v5e (v5 litepod) hosts carry the chips their name says; larger slices are set by tpuTopology.
        fits["TPU_V5_LITEPOD"] = new(StringComparer.Ordinal) { ["ct5lp-hightpu-1t"] = [1], ["ct5lp-hightpu-4t"] = [4], ["ct5lp-hightpu-8t"] = [8] };
        return fits;
    }
}
