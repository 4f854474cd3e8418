using VertexTraining.Core.Api;

namespace VertexTraining.Core.Local;

/// <summary>
/// Fields of a job document that only mean something on Google Cloud. A local run cannot honour them, and
/// they do not change what the training code sees, so it runs without them and says so, once each.
/// </summary>
public static class CloudOnlyFields
{
    /// <summary>One line per such field the document sets.</summary>
    public static IEnumerable<string> Notes(CustomJobSpec spec)
    {
        if (spec.Experiment is { } experiment)
        {
            yield return $"not recorded locally: experiment {experiment}{(spec.ExperimentRun is { } run ? $", run {run}" : "")} (Vertex Experiments is Vertex ML Metadata, a cloud service)";
        }

        if (spec.PscInterfaceConfig?.NetworkAttachment is { } attachment)
        {
            yield return $"not attached locally: PSC network attachment {attachment} (replicas reach this machine's network instead)";
        }

        var reserved = (spec.WorkerPoolSpecs ?? [])
            .Select((pool, index) => (Index: index, Affinity: pool.MachineSpec?.ReservationAffinity?.ReservationAffinityType))
            .Where(p => p.Affinity is not null)
            .Select(p => $"workerpool{p.Index} {p.Affinity}")
            .ToList();
        if (reserved.Count > 0)
        {
            yield return $"no reservation locally: {string.Join(", ", reserved)} (Compute Engine reservations hold cloud capacity; replicas run on this machine)";
        }

        if (spec.ProtectedArtifactLocationId is { } location)
        {
            yield return $"not kept in another region locally: protected artifact location {location} (artifacts stay in the run folder on this machine)";
        }

        var pools = spec.WorkerPoolSpecs ?? [];
        if (pools.Any(p => p.MachineSpec?.GpuPartitionSize is not null || p.MachineSpec?.TpuTopology is not null))
        {
            yield return "not applied locally: GPU partition size and TPU topology (replicas share this machine's devices)";
        }
    }
}
