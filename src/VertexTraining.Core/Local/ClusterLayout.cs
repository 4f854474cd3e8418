using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Local;

/// <summary>
/// Every replica of a job spec with the address it is reached at, and the CLUSTER_SPEC / TF_CONFIG each one is
/// given. Replicas share the host network, so each gets its own free port on 127.0.0.1: what the cluster
/// description lists is really where the replica can listen and be reached.
/// </summary>
public sealed class ClusterLayout
{
    private static readonly JsonSerializerOptions Compact = new(VertexJson.Options) { WriteIndented = false };

    private readonly JsonNode _jobSpec;

    private ClusterLayout(IReadOnlyList<LocalReplica> replicas, JsonNode jobSpec)
    {
        Replicas = replicas;
        _jobSpec = jobSpec;
    }

    /// <summary>All replicas, pool by pool, in index order; the primary first.</summary>
    public IReadOnlyList<LocalReplica> Replicas { get; }

    /// <summary>Whether the job has more than one replica; only such jobs get TF_CONFIG, as on Vertex AI.</summary>
    public bool IsDistributed => Replicas.Count > 1;

    /// <summary>The same replicas at new addresses: each trial of a tuning job gets its own, so parallel trials never share a port.</summary>
    public ClusterLayout WithFreshPorts(Func<int, IReadOnlyList<int>>? allocatePorts = null)
    {
        var ports = (allocatePorts ?? LoopbackPorts.Allocate)(Replicas.Count);
        return new ClusterLayout(
            [.. Replicas.Select((r, n) => r with { Address = string.Create(CultureInfo.InvariantCulture, $"{LoopbackPorts.Host}:{ports[n]}") })],
            _jobSpec);
    }

    /// <summary>Plans the replicas of <paramref name="spec"/>, with ports from <paramref name="allocatePorts"/>.</summary>
    /// <exception cref="LocalRunException">The spec has no runnable primary pool.</exception>
    public static ClusterLayout Create(CustomJobSpec spec, Func<int, IReadOnlyList<int>>? allocatePorts = null)
    {
        var pools = spec.WorkerPoolSpecs ?? [];
        var planned = new List<(int Pool, int Index, WorkerPoolSpec Spec)>();
        for (var p = 0; p < pools.Count; p++)
        {
            var pool = pools[p];
            if (pool.ContainerSpec is null)
            {
                // {} is how the API skips a pool in the middle.
                if (pool.MachineSpec is null && pool.ReplicaCount is null or 0)
                {
                    continue;
                }

                throw new LocalRunException(DiagnosticCodes.LocalUnsupportedDocument,
                    $"Worker pool {p} ({LocalReplica.PoolNameOf(p)}) has no containerSpec; the local runner runs container images only.",
                    isConfigurationError: true);
            }

            if (p > 3)
            {
                throw new LocalRunException(DiagnosticCodes.LocalUnsupportedDocument,
                    $"The job has {pools.Count} worker pools; Vertex AI defines four (primary, workers, parameter servers, evaluators).",
                    isConfigurationError: true);
            }

            var count = pool.ReplicaCount ?? 1;
            for (var i = 0; i < count; i++)
            {
                planned.Add((p, i, pool));
            }
        }

        if (planned.Count == 0 || planned[0].Pool != 0)
        {
            throw new LocalRunException(DiagnosticCodes.LocalUnsupportedDocument,
                "The job has no primary worker pool (workerPoolSpecs[0] with a containerSpec); there is nothing to run.",
                isConfigurationError: true);
        }

        var ports = (allocatePorts ?? LoopbackPorts.Allocate)(planned.Count);
        var replicas = planned
            .Select((r, n) => new LocalReplica(r.Pool, r.Index, r.Spec, string.Create(CultureInfo.InvariantCulture, $"{LoopbackPorts.Host}:{ports[n]}")))
            .ToList();
        return new ClusterLayout(replicas, JsonSerializer.SerializeToNode(spec, Compact)!);
    }

    /// <summary>CLUSTER_SPEC for <paramref name="replica"/>: every pool's addresses, its own task, the trial.</summary>
    public string ClusterSpecFor(LocalReplica replica, string? trialId)
    {
        var cluster = new JsonObject();
        foreach (var pool in Replicas.GroupBy(r => r.PoolIndex))
        {
            cluster[LocalReplica.PoolNameOf(pool.Key)] = new JsonArray([.. pool.Select(r => JsonValue.Create(r.Address))]);
        }

        return Describe(cluster, replica.PoolName, replica.Index, trialId);
    }

    /// <summary>
    /// TF_CONFIG for <paramref name="replica"/>, or null for a single-replica job. Evaluators are not part of
    /// the cluster (as on Vertex AI and in TensorFlow), though they get their own task.
    /// </summary>
    public string? TfConfigFor(LocalReplica replica, string? trialId)
    {
        if (!IsDistributed)
        {
            return null;
        }

        var cluster = new JsonObject();
        foreach (var pool in Replicas.Where(r => r.PoolIndex < 3).GroupBy(r => r.PoolIndex))
        {
            cluster[LocalReplica.TfRoleOf(pool.Key)] = new JsonArray([.. pool.Select(r => JsonValue.Create(r.Address))]);
        }

        return Describe(cluster, LocalReplica.TfRoleOf(replica.PoolIndex), replica.Index, trialId);
    }

    private string Describe(JsonObject cluster, string taskType, int index, string? trialId)
    {
        var task = new JsonObject { ["type"] = taskType, ["index"] = index };
        if (trialId is not null)
        {
            task["trial"] = trialId;
        }

        var root = new JsonObject
        {
            ["cluster"] = cluster,
            // "cloud" on Vertex AI; the runtime library reads "local" as a local run.
            ["environment"] = "local",
            ["task"] = task,
            ["job"] = _jobSpec.DeepClone(),
        };
        return root.ToJsonString(Compact);
    }
}
