using System.Text.RegularExpressions;

namespace VertexTraining.Core.Cloud.Quotas;

/// <summary>
/// The Vertex AI custom-training quota metrics a worker pool draws on (docs/quotas.md cites where each
/// name comes from): <c>custom_model_training_cpus</c> for N1 and E2 CPUs, <c>custom_model_training_{family}_cpus</c>
/// for other families, <c>custom_model_training_nvidia_{gpu}_gpus</c> for accelerators, with
/// <c>preemptible_</c> before the GPU name for Spot and FlexStart (DWS) jobs. A metric the project's
/// quota list does not hold is reported as not checked, so a wrong guess here never stops a submission.
/// </summary>
public static partial class TrainingQuotaMetrics
{
    /// <summary>The service whose quotas these are.</summary>
    public const string Service = "aiplatform.googleapis.com";

    /// <summary>What every custom-training metric starts with.</summary>
    public const string Prefix = Service + "/custom_model_training_";

    private static readonly Dictionary<string, string> GpuNames = new(StringComparer.Ordinal)
    {
        ["NVIDIA_TESLA_T4"] = "nvidia_t4",
        ["NVIDIA_TESLA_V100"] = "nvidia_v100",
        ["NVIDIA_TESLA_P100"] = "nvidia_p100",
        ["NVIDIA_TESLA_P4"] = "nvidia_p4",
        ["NVIDIA_TESLA_A100"] = "nvidia_a100",
        ["NVIDIA_A100_80GB"] = "nvidia_a100_80gb",
        ["NVIDIA_L4"] = "nvidia_l4",
        ["NVIDIA_H100_80GB"] = "nvidia_h100",
        ["NVIDIA_H100_MEGA_80GB"] = "nvidia_h100_mega",
        ["NVIDIA_H200_141GB"] = "nvidia_h200",
        ["NVIDIA_B200"] = "nvidia_b200",
        ["NVIDIA_GB200"] = "nvidia_gb200",
        ["NVIDIA_RTX_PRO_6000"] = "nvidia_rtx_pro_6000",
    };

    // vCPUs per GPU on the GPU-only families whose names count GPUs, not vCPUs (Compute Engine's machine tables).
    private static readonly Dictionary<string, int> VcpusPerGpu = new(StringComparer.Ordinal)
    {
        ["a2-highgpu"] = 12,
        ["a2-megagpu"] = 6,
        ["a2-ultragpu"] = 12,
        ["a3-highgpu"] = 26,
        ["a3-megagpu"] = 26,
        ["a3-ultragpu"] = 28,
        ["a4-highgpu"] = 28,
        ["a4x-highgpu"] = 35,
    };

    /// <summary>The accelerator metric, or null for accelerators without one we know (TPUs).</summary>
    public static string? ForAccelerator(string acceleratorType, bool preemptible) =>
        GpuNames.TryGetValue(acceleratorType, out var gpu) ? $"{Prefix}{(preemptible ? "preemptible_" : "")}{gpu}_gpus" : null;

    /// <summary>The CPU metric of a machine type's family: N1 and E2 share the plain one.</summary>
    public static string ForCpus(string machineType)
    {
        var family = machineType.Split('-')[0].ToLowerInvariant();
        return family is "n1" or "e2" ? Prefix + "cpus" : $"{Prefix}{family}_cpus";
    }

    /// <summary>The vCPUs of a machine type, or null when its name does not say (shared-core e2-medium, TPU hosts).</summary>
    public static int? VirtualCpus(string machineType)
    {
        var match = MachineShape().Match(machineType);
        if (!match.Success)
        {
            return null;
        }

        var count = int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var series = $"{match.Groups["family"].Value}-{match.Groups["class"].Value}";
        if (match.Groups["gpus"].Success)
        {
            return VcpusPerGpu.TryGetValue(series, out var perGpu) ? perGpu * count : null;
        }

        return count;
    }

    [GeneratedRegex(@"^(?<family>[a-z][a-z0-9]*)-(?<class>standard|highmem|highcpu|megamem|ultramem|highgpu|megagpu|ultragpu)-(?<count>\d{1,3})(?<gpus>g)?\z")]
    private static partial Regex MachineShape();
}
