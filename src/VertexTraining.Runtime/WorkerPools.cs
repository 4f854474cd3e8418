namespace VertexTraining.Runtime;

/// <summary>The names Vertex AI gives worker pools in <c>CLUSTER_SPEC</c>, and their <c>TF_CONFIG</c> equivalents.</summary>
public static class WorkerPools
{
    /// <summary>The primary pool (one replica).</summary>
    public const string Primary = "workerpool0";

    /// <summary>The workers pool.</summary>
    public const string Workers = "workerpool1";

    /// <summary>The parameter server (or Reduction Server) pool.</summary>
    public const string ParameterServers = "workerpool2";

    /// <summary>The evaluators pool.</summary>
    public const string Evaluators = "workerpool3";

    /// <summary>The role of a <c>CLUSTER_SPEC</c> pool name or a <c>TF_CONFIG</c> task type.</summary>
    /// <param name="poolOrTaskType">e.g. <c>workerpool1</c> or <c>worker</c>.</param>
    public static TaskRole RoleOf(string poolOrTaskType) => poolOrTaskType switch
    {
        Primary or "chief" or "master" => TaskRole.Primary,
        Workers or "worker" => TaskRole.Worker,
        ParameterServers or "ps" => TaskRole.ParameterServer,
        Evaluators or "evaluator" => TaskRole.Evaluator,
        _ => TaskRole.Unknown,
    };

    /// <summary>The <c>CLUSTER_SPEC</c> pool name of a <c>TF_CONFIG</c> task type (or of a pool name); unknown names are returned unchanged.</summary>
    /// <param name="poolOrTaskType">e.g. <c>chief</c> or <c>workerpool0</c>.</param>
    public static string PoolNameOf(string poolOrTaskType) => RoleOf(poolOrTaskType) switch
    {
        TaskRole.Primary => Primary,
        TaskRole.Worker => Workers,
        TaskRole.ParameterServer => ParameterServers,
        TaskRole.Evaluator => Evaluators,
        _ => poolOrTaskType,
    };
}
