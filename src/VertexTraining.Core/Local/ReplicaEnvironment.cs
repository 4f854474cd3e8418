using System.Globalization;

namespace VertexTraining.Core.Local;

/// <summary>What a replica is started with: the variables Vertex AI would set, and the job's own.</summary>
public static class ReplicaEnvironment
{
    /// <summary>Set to 1 in every locally run replica (read by the runtime library's TrainingEnvironment.IsLocal).</summary>
    public const string LocalVariable = "VERTEX_TRAINING_LOCAL";

    /// <summary>GPUs requested per replica; read by the runtime library's GPU check.</summary>
    public const string AcceleratorCountVariable = "VERTEX_ACCELERATOR_COUNT";

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

    private static string WithSlash(string path) => path.EndsWith('/') ? path : path + "/";
}

/// <summary>What is common to the replicas of one run (a custom job, or one trial of a tuning job).</summary>
/// <param name="JobId">The local job id (CLOUD_ML_JOB_ID).</param>
/// <param name="Folder">The run folder.</param>
/// <param name="TrialId">The trial id, for a tuning job's trial.</param>
/// <param name="PassGpus">Whether GPUs are passed to the replicas (<c>--gpus all</c>).</param>
public sealed record ReplicaRunContext(string JobId, RunFolder Folder, string? TrialId, bool PassGpus);
