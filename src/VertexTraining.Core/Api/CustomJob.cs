using System.Text.Json.Serialization;

namespace VertexTraining.Core.Api;

// Typed models of the Vertex AI v1 REST JSON (google.cloud.aiplatform.v1). Field names follow the
// proto3 JSON mapping: lowerCamelCase, int64 as strings, enums by name, durations as "123s".
// Null members are omitted so an unused pool serializes as {} exactly as the API expects.

public sealed class CustomJob
{
    public string? Name { get; set; }
    public string? DisplayName { get; set; }
    public CustomJobSpec? JobSpec { get; set; }
    public string? State { get; set; }
    public string? CreateTime { get; set; }
    public string? StartTime { get; set; }
    public string? EndTime { get; set; }
    public string? UpdateTime { get; set; }
    public RpcStatus? Error { get; set; }
    public SortedDictionary<string, string>? Labels { get; set; }
    public EncryptionSpec? EncryptionSpec { get; set; }
    public Dictionary<string, string>? WebAccessUris { get; set; }
}

public sealed class CustomJobSpec
{
    public List<WorkerPoolSpec>? WorkerPoolSpecs { get; set; }
    public Scheduling? Scheduling { get; set; }
    public string? ServiceAccount { get; set; }
    public string? Network { get; set; }
    public GcsDestination? BaseOutputDirectory { get; set; }
    public string? Tensorboard { get; set; }
    public bool? EnableWebAccess { get; set; }
    public bool? EnableDashboardAccess { get; set; }
    public string? PersistentResourceId { get; set; }
    public string? Experiment { get; set; }
    public string? ExperimentRun { get; set; }
    public PscInterfaceConfig? PscInterfaceConfig { get; set; }
    public string? ProtectedArtifactLocationId { get; set; }
}

public sealed class PscInterfaceConfig
{
    public string? NetworkAttachment { get; set; }
}

public sealed class ReservationAffinity
{
    public string? ReservationAffinityType { get; set; }
    public string? Key { get; set; }
    public List<string>? Values { get; set; }
}

public sealed class WorkerPoolSpec
{
    public ContainerSpec? ContainerSpec { get; set; }
    public MachineSpec? MachineSpec { get; set; }

    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long? ReplicaCount { get; set; }

    public DiskSpec? DiskSpec { get; set; }
    public List<NfsMount>? NfsMounts { get; set; }
    public List<LustreMount>? LustreMounts { get; set; }
}

public sealed class NfsMount
{
    public string? Server { get; set; }
    public string? Path { get; set; }
    public string? MountPoint { get; set; }
}

public sealed class LustreMount
{
    public string? InstanceIp { get; set; }
    public string? VolumeHandle { get; set; }
    public string? Filesystem { get; set; }
    public string? MountPoint { get; set; }
}

public sealed class ContainerSpec
{
    public string? ImageUri { get; set; }
    public List<string>? Command { get; set; }
    public List<string>? Args { get; set; }
    public List<EnvVar>? Env { get; set; }
}

public sealed class EnvVar
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class MachineSpec
{
    public string? MachineType { get; set; }
    public string? AcceleratorType { get; set; }
    public int? AcceleratorCount { get; set; }
    public ReservationAffinity? ReservationAffinity { get; set; }
    public string? GpuPartitionSize { get; set; }
    public string? TpuTopology { get; set; }
}

public sealed class DiskSpec
{
    public string? BootDiskType { get; set; }
    public int? BootDiskSizeGb { get; set; }
}

public sealed class Scheduling
{
    public string? Timeout { get; set; }
    public bool? RestartJobOnWorkerRestart { get; set; }
    public string? Strategy { get; set; }
    public bool? DisableRetries { get; set; }
    public string? MaxWaitDuration { get; set; }
}

public sealed class GcsDestination
{
    public string OutputUriPrefix { get; set; } = "";
}

public sealed class EncryptionSpec
{
    public string KmsKeyName { get; set; } = "";
}

/// <summary>google.rpc.Status as carried in a job's <c>error</c> field.</summary>
public sealed class RpcStatus
{
    public int Code { get; set; }
    public string? Message { get; set; }
}
