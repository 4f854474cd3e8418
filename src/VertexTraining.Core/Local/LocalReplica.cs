using System.Globalization;
using VertexTraining.Core.Api;

namespace VertexTraining.Core.Local;

/// <summary>One replica of a worker pool, as the local runner starts it.</summary>
/// <param name="PoolIndex">The pool's index in <c>workerPoolSpecs</c> (0 primary, 1 workers, 2 parameter servers, 3 evaluators).</param>
/// <param name="Index">The replica's zero-based index within its pool.</param>
/// <param name="Pool">The pool's spec from the job document.</param>
/// <param name="Address">The <c>host:port</c> other replicas reach it at, as listed in CLUSTER_SPEC.</param>
public sealed record LocalReplica(int PoolIndex, int Index, WorkerPoolSpec Pool, string Address)
{
    /// <summary>The CLUSTER_SPEC pool name, <c>workerpool0</c>..<c>workerpool3</c>.</summary>
    public string PoolName => PoolNameOf(PoolIndex);

    /// <summary>The task name Vertex AI uses in logs: <c>workerpool1-2</c>.</summary>
    public string TaskName => string.Create(CultureInfo.InvariantCulture, $"{PoolName}-{Index}");

    /// <summary>Whether this is the primary replica, whose exit decides the job's end.</summary>
    public bool IsPrimary => PoolIndex == 0 && Index == 0;

    /// <summary>The pool's container spec (never null for a planned replica).</summary>
    public ContainerSpec Container => Pool.ContainerSpec!;

    /// <summary>The CLUSTER_SPEC name of a pool index.</summary>
    public static string PoolNameOf(int poolIndex) => string.Create(CultureInfo.InvariantCulture, $"workerpool{poolIndex}");

    /// <summary>The TF_CONFIG role of a pool index: chief, worker, ps, evaluator.</summary>
    public static string TfRoleOf(int poolIndex) => poolIndex switch
    {
        0 => "chief",
        1 => "worker",
        2 => "ps",
        _ => "evaluator",
    };
}
