using System.Text.RegularExpressions;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// The machine fields that split or shape accelerators: machineSpec.gpuPartitionSize (a MIG profile such as
/// <c>1g.10gb</c>, on one GPU) and machineSpec.tpuTopology (<c>2x2</c>, <c>2x2x1</c>, on a TPU machine type), from
/// VertexGpuPartitionSize / VertexTpuTopology or a pool's GpuPartitionSize / TpuTopology metadata
/// (cloud.google.com/vertex-ai/docs/reference/rest/v1/MachineSpec).
/// </summary>
internal static partial class PartitionMapper
{
    // NVIDIA's MIG profile names: <compute slices>g.<memory>gb, from 1g.5gb (A100 40GB) to 7g.141gb (H200).
    [GeneratedRegex(@"^[1-7]g\.[0-9]{1,3}gb\z")]
    private static partial Regex MigProfile();

    [GeneratedRegex(@"^[1-9][0-9]{0,2}x[1-9][0-9]{0,2}(x[1-9][0-9]{0,2})?\z")]
    private static partial Regex Topology();

    /// <param name="subject">The pool's subject in messages, or null for the default shape.</param>
    /// <param name="pick">Reads a pool's metadata, falling back to the property of the same meaning.</param>
    /// <param name="machine">The shape read so far: the partition needs one GPU, the topology a TPU machine.</param>
    /// <param name="bag">Collects errors.</param>
    public static (string? GpuPartitionSize, string? TpuTopology) Read(string? subject, Func<string, string, string?> pick, MachineSpec machine, DiagnosticBag bag)
    {
        var partitionSubject = subject is null ? VertexProperty.GpuPartitionSize : $"{subject} GpuPartitionSize";
        var topologySubject = subject is null ? VertexProperty.TpuTopology : $"{subject} TpuTopology";
        var partition = pick("GpuPartitionSize", VertexProperty.GpuPartitionSize);
        var topology = pick("TpuTopology", VertexProperty.TpuTopology);

        if (partition is not null)
        {
            if (!MigProfile().IsMatch(partition))
            {
                bag.Error(DiagnosticCodes.InvalidGpuPartitionSize, partitionSubject,
                    $"{partitionSubject} is '{partition}'; it must be a MIG profile such as 1g.10gb, 2g.20gb or 3g.40gb.");
                partition = null;
            }
            else if (machine.AcceleratorType is not { } type || !type.StartsWith("NVIDIA_", StringComparison.Ordinal) || machine.AcceleratorCount != 1)
            {
                bag.Error(DiagnosticCodes.InvalidGpuPartitionSize, partitionSubject,
                    $"{partitionSubject} partitions one NVIDIA GPU; set the accelerator type (e.g. NVIDIA_TESLA_A100) with a count of 1.");
                partition = null;
            }
        }

        if (topology is not null)
        {
            if (!Topology().IsMatch(topology))
            {
                bag.Error(DiagnosticCodes.InvalidTpuTopology, topologySubject,
                    $"{topologySubject} is '{topology}'; it must be chips per dimension, such as 2x2, 4x4 or 2x2x1.");
                topology = null;
            }
            else if (!IsTpuMachine(machine))
            {
                bag.Error(DiagnosticCodes.InvalidTpuTopology, topologySubject,
                    $"{topologySubject} applies to TPU machine types (ct5lp-hightpu-*, ct6e-standard-*, tpu7x-standard-*, cloud-tpu); the machine type is '{machine.MachineType}'.");
                topology = null;
            }
            else if (TpuDimensions(machine) is { } dimensions && topology.Count(c => c == 'x') + 1 != dimensions)
            {
                bag.Error(DiagnosticCodes.InvalidTpuTopology, topologySubject,
                    $"{topologySubject} is '{topology}'; {TpuGeneration(machine)} chips form a {dimensions}-D slice, so give {dimensions} dimensions, such as {(dimensions == 3 ? "2x2x1 or 2x2x2" : "2x2 or 4x4")}.");
                topology = null;
            }
        }

        return (partition, topology);
    }

    // TPU v4 chips are wired in a 3-D torus (slices 2x2x1, 2x2x2, 4x4x4...), v5e chips in a 2-D one (1x1 to 16x16)
    // (cloud.google.com/tpu/docs/v4, cloud.google.com/tpu/docs/v5e); other generations are left to the service.
    private static int? TpuDimensions(MachineSpec machine) =>
        machine.AcceleratorType == "TPU_V4_POD" ? 3
        : machine.AcceleratorType == "TPU_V5_LITEPOD" || machine.MachineType?.StartsWith("ct5lp-", StringComparison.Ordinal) == true ? 2
        : null;

    private static string TpuGeneration(MachineSpec machine) => machine.AcceleratorType == "TPU_V4_POD" ? "TPU v4" : "TPU v5e";

    private static bool IsTpuMachine(MachineSpec machine) =>
        machine.MachineType is { } type && (type == "cloud-tpu" || type.StartsWith("ct5lp-", StringComparison.Ordinal)
            || type.StartsWith("ct6e-", StringComparison.Ordinal) || type.StartsWith("tpu7x-", StringComparison.Ordinal));
}
