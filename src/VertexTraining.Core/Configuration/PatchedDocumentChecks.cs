using System.Text.Json.Nodes;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// The checks of the mapping that can be made on a document, made again after VertexJobPatch: the display
/// name, the primary pool's single replica, each pool's machine, accelerator and count (MachineCatalog), its boot
/// disk, its shares' mount points, the protected artifact location and the scheduling strategy. Each error names VertexJobPatch and the JSON path at fault; fields the
/// mapping does not know pass unchecked (that is what the patch is for).
/// </summary>
internal static class PatchedDocumentChecks
{
    private static readonly string[] Strategies = ["STRATEGY_UNSPECIFIED", "ON_DEMAND", "LOW_COST", "STANDARD", "SPOT", "FLEX_START"];

    /// <param name="document">The patched document.</param>
    /// <param name="specName">jobSpec or trialJobSpec: the spec object <see cref="JobPatch"/> found in it.</param>
    /// <param name="patchFile">The patch, for messages.</param>
    /// <param name="bag">Collects errors.</param>
    public static void Run(JsonObject document, string specName, string patchFile, DiagnosticBag bag)
    {
        void Error(string code, string path, string message) =>
            bag.Error(code, VertexProperty.JobPatch, $"After {VertexProperty.JobPatch} ({patchFile}), {path} {message}");

        var displayName = ProtoJson.String(document["displayName"]);
        if (displayName is null || displayName.Length == 0 || displayName.EnumerateRunes().Count() > 128)
        {
            Error(DiagnosticCodes.InvalidDisplayName, "displayName", "must be a string of 1 to 128 characters.");
        }

        var spec = (JsonObject)document[specName]!;
        if (spec["workerPoolSpecs"] is not JsonArray pools || pools.Count is 0 or > 4 || pools[0] is not JsonObject { Count: > 0 })
        {
            Error(DiagnosticCodes.MissingPrimaryPool, $"{specName}.workerPoolSpecs", "must be an array of 1 to 4 pools whose first (the primary) is not empty.");
            return;
        }

        for (var index = 0; index < pools.Count; index++)
        {
            if (pools[index] is JsonObject pool)
            {
                CheckPool(pool, index, $"{specName}.workerPoolSpecs[{index}]", Error);
            }
        }

        if (ProtoJson.String(spec["protectedArtifactLocationId"]) is { } location && !ResourceFormats.Region().IsMatch(location))
        {
            Error(DiagnosticCodes.InvalidProtectedArtifactLocation, $"{specName}.protectedArtifactLocationId", $"is '{location}'; expected a Vertex AI region id such as europe-west4.");
        }

        var strategy = ProtoJson.String(spec["scheduling"]?["strategy"]);
        if (strategy is not null && !Strategies.Contains(strategy))
        {
            Error(DiagnosticCodes.InvalidSchedulingStrategy, $"{specName}.scheduling.strategy", $"is '{strategy}'; valid values are {string.Join(", ", Strategies)}.");
        }

        if (spec["scheduling"]?["maxWaitDuration"] is not null && strategy != "FLEX_START")
        {
            Error(DiagnosticCodes.MaxWaitWithoutFlexStart, $"{specName}.scheduling.maxWaitDuration", "is set, but it applies only to strategy FLEX_START.");
        }
    }

    private static void CheckPool(JsonObject pool, int index, string path, Action<string, string, string> error)
    {
        if (index == 0 && ProtoJson.Int64(pool["replicaCount"]) is { } replicas && replicas != 1)
        {
            error(DiagnosticCodes.PrimaryPoolReplicaCount, $"{path}.replicaCount", $"is {replicas}; the primary pool must have exactly 1 replica.");
        }

        var machine = pool["machineSpec"];
        var machineType = ProtoJson.String(machine?["machineType"]);
        if (pool.Count > 0 && machineType is not { Length: > 0 })
        {
            error(DiagnosticCodes.InvalidMachineType, $"{path}.machineSpec.machineType", "is missing; every pool that runs needs a machine type, e.g. n1-standard-4.");
        }

        var accelerator = ProtoJson.String(machine?["acceleratorType"]);
        if (machineType is not null && accelerator is not null and not "ACCELERATOR_TYPE_UNSPECIFIED" && !MachineCatalog.IsTpu(accelerator))
        {
            CheckAccelerator(machineType, accelerator, ProtoJson.Int64(machine?["acceleratorCount"]), $"{path}.machineSpec", error);
        }

        if (pool["diskSpec"]?["bootDiskSizeGb"] is { } sizeNode && ProtoJson.Int64(sizeNode) is not (>= 100 and <= 64_000))
        {
            error(DiagnosticCodes.InvalidBootDiskSize, $"{path}.diskSpec.bootDiskSizeGb", $"is {sizeNode.ToJsonString()}; valid sizes are 100 to 64000 (GB).");
        }

        if (ProtoJson.String(pool["diskSpec"]?["bootDiskType"]) is { } diskType && !WorkerPoolMapper.BootDiskTypes.Contains(diskType))
        {
            error(DiagnosticCodes.InvalidBootDiskType, $"{path}.diskSpec.bootDiskType", $"is '{diskType}'; valid types are {string.Join(", ", WorkerPoolMapper.BootDiskTypes)}.");
        }

        // A share's mountPoint becomes a folder name under /mnt/nfs/ or /mnt/lustre/, on Vertex and in local runs.
        foreach (var (field, code) in new[] { ("nfsMounts", DiagnosticCodes.InvalidNfsMount), ("lustreMounts", DiagnosticCodes.InvalidLustreMount) })
        {
            var mounts = pool[field] as JsonArray ?? [];
            for (var i = 0; i < mounts.Count; i++)
            {
                if (mounts[i] is JsonObject mount && ProtoJson.String(mount["mountPoint"]) is var mountPoint && !MountPointName.IsValid(mountPoint))
                {
                    error(code, $"{path}.{field}[{i}].mountPoint", $"is '{mountPoint}'; a mount point is {MountPointName.Rule}.");
                }
            }
        }
    }

    private static void CheckAccelerator(string machineType, string accelerator, long? count, string path, Action<string, string, string> error)
    {
        if (!MachineCatalog.IsKnownAccelerator(accelerator))
        {
            error(DiagnosticCodes.UnknownAcceleratorType, $"{path}.acceleratorType", $"is '{accelerator}'; valid types are {string.Join(", ", MachineCatalog.AcceleratorTypes)}.");
        }
        else if (MachineCatalog.CountsFor(accelerator, machineType) is not { } counts)
        {
            error(DiagnosticCodes.AcceleratorNotOnMachineType, $"{path}.acceleratorType",
                $"{accelerator} cannot be attached to machine type '{machineType}'; it fits {string.Join(", ", MachineCatalog.MachineTypesFor(accelerator))}.");
        }
        else if (count is null || !counts.Contains((int)count.Value))
        {
            error(DiagnosticCodes.InvalidAcceleratorCount, $"{path}.acceleratorCount", $"is {count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; {accelerator} on {machineType} takes {string.Join(", ", counts)}.");
        }
    }
}
