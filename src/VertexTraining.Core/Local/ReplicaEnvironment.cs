using System.Globalization;

namespace VertexTraining.Core.Local;

/// <summary>What a replica is started with: the variables Vertex AI would set, and the job's own.</summary>
public static class ReplicaEnvironment
{
    /// <summary>Set to 1 in every locally run replica (read by the runtime library's TrainingEnvironment.IsLocal).</summary>
    public const string LocalVariable = "VERTEX_TRAINING_LOCAL";

    /// <summary>GPUs requested per replica; read by the runtime library's GPU check.</summary>
    public const string AcceleratorCountVariable = "VERTEX_ACCELERATOR_COUNT";

    /// <summary>The stop grace period in seconds, read by the runtime's StopGracePeriod (docs/checkpoints.md).</summary>
    public const string StopGracePeriodVariable = "VERTEX_LOCAL_GRACE_PERIOD";

    /// <summary>
    /// The environment of one replica. The job's <c>env</c> comes first; what Vertex AI itself sets wins over it,
    /// as on the service, because the job's code relies on those values being the real ones.
    /// </summary>
    /// <param name="layout">The job's replicas and addresses.</param>
    /// <param name="replica">The replica being started.</param>
    /// <param name="context">The job id, run folder, trial and GPU choice.</param>
    public static IReadOnlyDictionary<string, string> Build(ClusterLayout layout, LocalReplica replica, ReplicaRunContext context)
    {
        var variables = new Dictionary<string, string>(EnvVarExpander.Expand(replica.Container.Env), StringComparer.Ordinal);
        var outputs = context.Folder.OutputsDirectory(context.TrialId);

        variables["CLUSTER_SPEC"] = layout.ClusterSpecFor(replica, context.TrialId);
        if (layout.TfConfigFor(replica, context.TrialId) is { } tfConfig)
        {
            variables["TF_CONFIG"] = tfConfig;
        }
        else
        {
            variables.Remove("TF_CONFIG");
        }

        // Vertex AI gives gs:// folders ending in '/'; locally they are folders of the run folder.
        variables["AIP_MODEL_DIR"] = WithSlash(Path.Combine(outputs, "model"));
        variables["AIP_CHECKPOINT_DIR"] = WithSlash(Path.Combine(outputs, "checkpoints"));
        variables["AIP_TENSORBOARD_LOG_DIR"] = WithSlash(Path.Combine(outputs, "logs"));
        variables["CLOUD_ML_JOB_ID"] = context.JobId;
        variables["CLOUD_ML_HP_METRIC_FILE"] = context.Folder.MetricFile(context.TrialId, replica.TaskName);
        if (context.TrialId is not null)
        {
            variables["CLOUD_ML_TRIAL_ID"] = context.TrialId;
        }
        else
        {
            variables.Remove("CLOUD_ML_TRIAL_ID");
        }

        variables[LocalVariable] = "1";
        AddDistributedVariables(variables, layout, replica);

        // What the runtime reports as the stop grace period, so a preempted trainer knows how long it has to save.
        if (context.StopGracePeriod is { } grace)
        {
            variables[StopGracePeriodVariable] = grace.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        }

        // The runtime's GPU check fails fast when GPUs were requested but none are visible. A laptop without
        // GPUs must still run the job, so the request is kept only when GPUs are passed through on purpose.
        var requested = replica.Pool.MachineSpec?.AcceleratorCount ?? 0;
        if (!context.PassGpus || requested == 0)
        {
            variables[AcceleratorCountVariable] = "0";
        }
        else
        {
            variables[AcceleratorCountVariable] = requested.ToString(CultureInfo.InvariantCulture);
        }

        return variables;
    }

    /// <summary>The folders a replica writes to, created before it starts (and bind-mounted in container mode).</summary>
    public static IReadOnlyList<string> WritableFolders(LocalReplica replica, ReplicaRunContext context)
    {
        var outputs = context.Folder.OutputsDirectory(context.TrialId);
        return
        [
            Path.Combine(outputs, "model"),
            Path.Combine(outputs, "checkpoints"),
            Path.Combine(outputs, "logs"),
            context.Folder.MetricsDirectory(context.TrialId),
        ];
    }

    // MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK as observed on Vertex AI's multi-replica jobs (docs/checkpoints.md):
    // the primary's address, one process per node, the primary ranked 0 and the workers after it in index order.
    // Parameter servers and evaluators get the address and size, but no rank.
    private static void AddDistributedVariables(Dictionary<string, string> variables, ClusterLayout layout, LocalReplica replica)
    {
        if (layout.Replicas.Count < 2 || layout.Replicas.FirstOrDefault(r => r.IsPrimary) is not { } primary)
        {
            return;
        }

        var separator = primary.Address.LastIndexOf(':');
        variables["MASTER_ADDR"] = primary.Address[..separator];
        variables["MASTER_PORT"] = primary.Address[(separator + 1)..];
        variables["WORLD_SIZE"] = layout.Replicas.Count(r => r.PoolIndex is 0 or 1).ToString(CultureInfo.InvariantCulture);
        if (replica.PoolIndex is 0 or 1)
        {
            variables["RANK"] = (replica.PoolIndex == 0 ? 0 : 1 + replica.Index).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            variables.Remove("RANK");
        }
    }

    private static string WithSlash(string path) => path.EndsWith('/') ? path : path + "/";
}

/// <summary>What is common to the replicas of one run (a custom job, or one trial of a tuning job).</summary>
/// <param name="JobId">The local job id (CLOUD_ML_JOB_ID).</param>
/// <param name="Folder">The run folder.</param>
/// <param name="TrialId">The trial id, for a tuning job's trial.</param>
/// <param name="PassGpus">Whether GPUs are passed to the replicas (<c>--gpus all</c>).</param>
public sealed record ReplicaRunContext(string JobId, RunFolder Folder, string? TrialId, bool PassGpus)
{
    /// <summary>The grace period a stopped or preempted replica gets, passed on as VERTEX_LOCAL_GRACE_PERIOD.</summary>
    public TimeSpan? StopGracePeriod { get; init; }
}
