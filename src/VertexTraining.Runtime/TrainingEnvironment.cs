using System.Globalization;

namespace VertexTraining.Runtime;

/// <summary>
/// Where this replica runs and what it is: its worker pool and index, its rank among the training replicas,
/// the hyperparameter tuning trial, and the output directories Vertex AI chose — read from the environment
/// variables Vertex AI (or the local runner) sets in the training container.
/// </summary>
/// <remarks>
/// <para>
/// Sources, in order of preference: <c>CLUSTER_SPEC</c> (set on every replica), <c>TF_CONFIG</c> (distributed
/// jobs only), then plain variables (<c>CLOUD_ML_TRIAL_ID</c>, <c>AIP_*</c>, <c>CLOUD_ML_*</c>). Without any
/// cluster description the process is treated as the single primary replica (rank 0 of 1), which is what a
/// plain local <c>dotnet run</c> is.
/// </para>
/// <para>
/// Rank convention: only training replicas have a rank. The primary (<c>workerpool0</c>) comes first, then
/// the workers (<c>workerpool1</c>) in index order, so <see cref="WorldSize"/> is the number of replicas in
/// pools 0 and 1. Parameter servers / Reduction Server replicas (<c>workerpool2</c>) and evaluators
/// (<c>workerpool3</c>) do not join the training collective: their <see cref="Rank"/> is -1 and they are
/// not counted in <see cref="WorldSize"/>.
/// </para>
/// </remarks>
public sealed class TrainingEnvironment
{
    /// <summary>The variable holding the Vertex AI cluster description.</summary>
    public const string ClusterSpecVariable = "CLUSTER_SPEC";

    /// <summary>The variable holding the TensorFlow-style cluster description (distributed jobs only).</summary>
    public const string TfConfigVariable = "TF_CONFIG";

    /// <summary>The variable the local runner sets to <c>1</c>.</summary>
    public const string LocalVariable = "VERTEX_TRAINING_LOCAL";

    /// <summary>The variable holding the number of GPUs per replica requested for this pool.</summary>
    public const string AcceleratorCountVariable = "VERTEX_ACCELERATOR_COUNT";

    /// <summary>The variable holding the accelerator type requested for this pool, e.g. <c>NVIDIA_TESLA_T4</c>.</summary>
    public const string AcceleratorTypeVariable = "VERTEX_ACCELERATOR_TYPE";

    /// <summary>The variable holding the checkpoint folder Vertex AI chose (<c>gs://.../checkpoints/</c>).</summary>
    public const string CheckpointDirVariable = "AIP_CHECKPOINT_DIR";

    /// <summary>
    /// The variable the local runner sets to the grace period between SIGTERM and the kill it rehearses
    /// (seconds, e.g. <c>30</c>, or <c>30s</c>, <c>2m</c>, <c>hh:mm:ss</c>). Unset on Vertex AI.
    /// </summary>
    public const string GracePeriodVariable = "VERTEX_LOCAL_GRACE_PERIOD";

    /// <summary>
    /// The exit code for an app that stopped early on <see cref="StopRequested"/> after saving: 143 (128 + SIGTERM),
    /// what a process ended by SIGTERM reports, so that nothing takes the stopped run for a finished one.
    /// </summary>
    public const int StoppedExitCode = 143;

    /// <summary>The folder, under the working directory, that holds checkpoints when <c>AIP_CHECKPOINT_DIR</c> is not set.</summary>
    public const string DefaultCheckpointFolder = "checkpoints";

    /// <summary>
    /// The notice a Spot (or preemptible) VM gets between SIGTERM and being stopped: Compute Engine's
    /// documented preemption notice, 30 seconds. Also the local runner's default.
    /// </summary>
    public static readonly TimeSpan DefaultStopGracePeriod = TimeSpan.FromSeconds(30);

    private const string ModelDirVariable = "AIP_MODEL_DIR";
    private const string MasterAddressVariable = "MASTER_ADDR";
    private const string MasterPortVariable = "MASTER_PORT";
    private const string WorldSizeVariable = "WORLD_SIZE";
    private const string RankVariable = "RANK";
    internal const string TensorBoardLogDirVariable = "AIP_TENSORBOARD_LOG_DIR";
    private const string JobIdVariable = "CLOUD_ML_JOB_ID";
    private const string ProjectIdVariable = "CLOUD_ML_PROJECT_ID";
    private const string TrialIdVariable = "CLOUD_ML_TRIAL_ID";

    private readonly Func<string, string?> _getVariable;
    private readonly Lazy<CheckpointStore> _checkpoints;

    private TrainingEnvironment(Func<string, string?> getVariable)
    {
        _getVariable = getVariable;

        ClusterSpec = ParseCluster(ClusterSpecVariable);
        TfConfig = ParseCluster(TfConfigVariable);
        Pools = ClusterSpec?.Cluster ?? PoolsOf(TfConfig) ?? new Dictionary<string, IReadOnlyList<string>>().AsReadOnly();

        var task = ClusterSpec?.TaskType is { } specType ? (Type: specType, ClusterSpec.TaskIndex)
            : TfConfig?.TaskType is { } tfType ? (Type: WorkerPools.PoolNameOf(tfType), TfConfig.TaskIndex)
            : (Type: WorkerPools.Primary, TaskIndex: 0);
        TaskType = task.Type;
        TaskIndex = task.TaskIndex;
        Role = WorkerPools.RoleOf(TaskType);

        TrialId = ClusterSpec?.Trial ?? TfConfig?.Trial ?? NonEmpty(TrialIdVariable);

        ModelDir = NonEmpty(ModelDirVariable);
        CheckpointDir = NonEmpty(CheckpointDirVariable);
        TensorBoardLogDir = NonEmpty(TensorBoardLogDirVariable);
        JobId = NonEmpty(JobIdVariable);
        ProjectNumber = NonEmpty(ProjectIdVariable);

        var description = ClusterSpec?.Environment ?? TfConfig?.Environment;
        IsLocal = IsTrue(NonEmpty(LocalVariable)) || string.Equals(description, "local", StringComparison.OrdinalIgnoreCase);
        IsOnVertex = !IsLocal && string.Equals(description, "cloud", StringComparison.OrdinalIgnoreCase);

        AcceleratorType = NonEmpty(AcceleratorTypeVariable);
        AcceleratorCount = ParseWholeNumber(AcceleratorCountVariable, "the GPUs requested per replica") ?? 0;

        var primary = SplitAddress(PrimaryAddress);
        MasterAddress = NonEmpty(MasterAddressVariable) ?? primary.Host;
        MasterPort = ParseWholeNumber(MasterPortVariable, "the rendezvous port of the primary replica") ?? primary.Port;
        Rank = ParseWholeNumber(RankVariable, "this replica's rank") ?? DerivedRank();
        WorldSize = ParseWholeNumber(WorldSizeVariable, "the number of training replicas")
            ?? Math.Max(1, ReplicaCount(WorkerPools.Primary) + ReplicaCount(WorkerPools.Workers));

        StopGracePeriod = ParseGracePeriod();
        _checkpoints = new Lazy<CheckpointStore>(() => OpenCheckpoints(new CheckpointStoreOptions { SavesOnThisReplica = IsPrimary }));
    }

    /// <summary>The environment of this process, read now.</summary>
    /// <exception cref="TrainingEnvironmentException">A variable such as <c>CLUSTER_SPEC</c> holds a value that cannot be read.</exception>
    public static TrainingEnvironment Current => FromLookup(Environment.GetEnvironmentVariable);

    /// <summary>Reads the environment from a set of variables (for tests, or to describe another replica).</summary>
    /// <param name="variables">Variable names and values; names are matched exactly.</param>
    /// <exception cref="TrainingEnvironmentException">A variable holds a value that cannot be read.</exception>
    public static TrainingEnvironment FromVariables(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return FromLookup(name => variables.GetValueOrDefault(name));
    }

    /// <summary>Reads the environment through a lookup function.</summary>
    /// <param name="getVariable">Returns a variable's value, or <see langword="null"/> when it is not set.</param>
    /// <exception cref="TrainingEnvironmentException">A variable holds a value that cannot be read.</exception>
    public static TrainingEnvironment FromLookup(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return new TrainingEnvironment(getVariable);
    }

    /// <summary>The parsed <c>CLUSTER_SPEC</c>, or <see langword="null"/> when it is not set.</summary>
    public ClusterSpec? ClusterSpec { get; }

    /// <summary>The parsed <c>TF_CONFIG</c>, or <see langword="null"/> when it is not set (single-replica jobs).</summary>
    public ClusterSpec? TfConfig { get; }

    /// <summary>
    /// Replica addresses (<c>host:port</c>) by pool name (<c>workerpool0</c>..<c>workerpool3</c>). From
    /// <c>CLUSTER_SPEC</c>, else from <c>TF_CONFIG</c> with its roles mapped to pool names; empty when neither is set.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Pools { get; }

    /// <summary>This replica's pool name, e.g. <c>workerpool0</c>; <c>workerpool0</c> when no cluster is described.</summary>
    public string TaskType { get; }

    /// <summary>This replica's zero-based index within its pool.</summary>
    public int TaskIndex { get; }

    /// <summary>What this replica does, from its pool.</summary>
    public TaskRole Role { get; }

    /// <summary>
    /// The hyperparameter tuning trial id (<c>"1"</c>, <c>"2"</c>, ...): <c>CLUSTER_SPEC</c> <c>task.trial</c>,
    /// else <c>TF_CONFIG</c>, else <c>CLOUD_ML_TRIAL_ID</c>; <see langword="null"/> outside hyperparameter tuning.
    /// </summary>
    public string? TrialId { get; }

    /// <summary>Whether this replica is part of a hyperparameter tuning trial.</summary>
    public bool IsTrial => TrialId is not null;

    /// <summary>
    /// Whether this replica is the primary (<c>workerpool0</c>, index 0), the one whose exit decides the job's
    /// state and that should write the model and report metrics. True when no cluster is described.
    /// </summary>
    public bool IsPrimary => TaskType == WorkerPools.Primary && TaskIndex == 0;

    /// <summary>Whether this replica trains (pool 0 or 1), and so has a <see cref="Rank"/>.</summary>
    public bool IsTrainingReplica => Role is TaskRole.Primary or TaskRole.Worker;

    /// <summary>
    /// This replica's rank among the training replicas: <c>RANK</c> when set (Vertex AI sets it on multi-replica
    /// jobs, undocumented), else derived from the cluster: the primary is 0, then <c>workerpool1</c> replicas
    /// follow in index order; -1 for parameter servers, evaluators and unknown pools.
    /// </summary>
    public int Rank { get; }

    /// <summary>
    /// The number of training replicas: <c>WORLD_SIZE</c> when set (one process per VM on Vertex AI), else
    /// <c>workerpool0</c> plus <c>workerpool1</c>; 1 when no cluster is described.
    /// </summary>
    public int WorldSize { get; }

    /// <summary>
    /// The rendezvous host for collectives (PyTorch-style <c>MASTER_ADDR</c>): that variable when set, else the
    /// primary replica's host from the cluster; <see langword="null"/> when neither exists.
    /// </summary>
    public string? MasterAddress { get; }

    /// <summary>
    /// The rendezvous port (<c>MASTER_PORT</c>): that variable when set, else the primary replica's port from the
    /// cluster (2222 on Vertex AI); <see langword="null"/> when neither exists.
    /// </summary>
    public int? MasterPort { get; }

    /// <summary>
    /// The primary replica's <c>host:port</c>, the natural rendezvous address (e.g. <c>MASTER_ADDR</c>/<c>MASTER_PORT</c>
    /// for PyTorch-style collectives); <see langword="null"/> when no cluster is described.
    /// </summary>
    public string? PrimaryAddress => Pools.TryGetValue(WorkerPools.Primary, out var primary) && primary.Count > 0 ? primary[0] : null;

    /// <summary>
    /// <c>AIP_MODEL_DIR</c>: where to save the model, as Vertex gives it (usually <c>gs://...</c>;
    /// a local folder under the local runner). <see langword="null"/> without a base output directory.
    /// </summary>
    public string? ModelDir { get; }

    /// <summary><c>AIP_CHECKPOINT_DIR</c>: where to save checkpoints, as Vertex gives it.</summary>
    public string? CheckpointDir { get; }

    /// <summary><c>AIP_TENSORBOARD_LOG_DIR</c>: where to write TensorBoard logs, as Vertex gives it.</summary>
    public string? TensorBoardLogDir { get; }

    /// <summary><see cref="ModelDir"/> as a file system path (<c>gs://b/x</c> → <c>/gcs/b/x</c>).</summary>
    public string? ModelDirLocalPath => ToLocal(ModelDir);

    /// <summary><see cref="CheckpointDir"/> as a file system path (<c>gs://b/x</c> → <c>/gcs/b/x</c>).</summary>
    public string? CheckpointDirLocalPath => ToLocal(CheckpointDir);

    /// <summary><see cref="TensorBoardLogDir"/> as a file system path (<c>gs://b/x</c> → <c>/gcs/b/x</c>).</summary>
    public string? TensorBoardLogDirLocalPath => ToLocal(TensorBoardLogDir);

    /// <summary><c>CLOUD_ML_JOB_ID</c>: the job's id, as Vertex sets it.</summary>
    public string? JobId { get; }

    /// <summary>
    /// <c>CLOUD_ML_PROJECT_ID</c>: the project <em>number</em> of the project that submitted the job. The code
    /// runs in a Google-managed tenant project, so never derive the project from anything else in the container.
    /// </summary>
    public string? ProjectNumber { get; }

    /// <summary>Whether the local runner started this process (<c>VERTEX_TRAINING_LOCAL=1</c> or cluster environment <c>local</c>).</summary>
    public bool IsLocal { get; }

    /// <summary>Whether this process runs on Vertex AI (cluster environment <c>cloud</c>, and not <see cref="IsLocal"/>).</summary>
    public bool IsOnVertex { get; }

    /// <summary><c>VERTEX_ACCELERATOR_TYPE</c>: the accelerator requested for this replica's pool, e.g. <c>NVIDIA_TESLA_T4</c>.</summary>
    public string? AcceleratorType { get; }

    /// <summary><c>VERTEX_ACCELERATOR_COUNT</c>: how many accelerators were requested per replica; 0 when not set.</summary>
    public int AcceleratorCount { get; }

    /// <summary>
    /// This job's checkpoints: a <see cref="CheckpointStore"/> on <see cref="CheckpointDirLocalPath"/> (the
    /// <c>/gcs/</c> path of <c>AIP_CHECKPOINT_DIR</c> on Vertex AI, where each tuning trial has its own folder; the
    /// run folder under the local runner), or <c>./checkpoints</c> (<c>./checkpoints/trial-ID</c> in a trial) when
    /// <c>AIP_CHECKPOINT_DIR</c> is not set. Only the primary replica saves; every replica can load.
    /// </summary>
    public CheckpointStore Checkpoints => _checkpoints.Value;

    /// <summary>A <see cref="CheckpointStore"/> on the same folder as <see cref="Checkpoints"/>, with other options.</summary>
    /// <param name="options">e.g. <c>env.Checkpoints.Options with { KeepLast = 5 }</c>.</param>
    public CheckpointStore OpenCheckpoints(CheckpointStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (CheckpointDirLocalPath is { } directory)
        {
            return new CheckpointStore(directory, options, $"{CheckpointDirVariable}={CheckpointDir}");
        }

        var fallback = Path.Combine(Environment.CurrentDirectory, DefaultCheckpointFolder);
        if (TrialId is not null)
        {
            fallback = Path.Combine(fallback, "trial-" + TrialId);
        }

        return new CheckpointStore(fallback, options, $"the default folder, as {CheckpointDirVariable} is not set");
    }

    /// <summary>
    /// Cancelled when this process is asked to stop: SIGTERM (Spot preemption, VM maintenance, a cancelled job, a
    /// rehearsed preemption) or Ctrl-C. From the first read on, SIGTERM no longer ends the process by itself: the
    /// app saves a checkpoint and exits within <see cref="StopGracePeriodRemaining"/>, or is killed when it runs out.
    /// A second Ctrl-C ends the process at once.
    /// </summary>
    public CancellationToken StopRequested => StopSignal.Token;

    /// <summary>
    /// The time between SIGTERM and the kill: <c>VERTEX_LOCAL_GRACE_PERIOD</c> under the local runner, else
    /// <see cref="DefaultStopGracePeriod"/> (30 s, Compute Engine's preemption notice).
    /// </summary>
    public TimeSpan StopGracePeriod { get; }

    /// <summary>
    /// What is left of <see cref="StopGracePeriod"/>: all of it while no stop was requested, then counting down
    /// from the signal to zero. Leave a margin: a save that is still running when it ends is lost.
    /// </summary>
    public TimeSpan StopGracePeriodRemaining => StopSignal.Elapsed is { } elapsed
        ? (elapsed >= StopGracePeriod ? TimeSpan.Zero : StopGracePeriod - elapsed)
        : StopGracePeriod;

    /// <summary>Reads another variable from the same source this environment was read from.</summary>
    /// <param name="name">The variable's name.</param>
    public string? GetVariable(string name) => _getVariable(name);

    /// <summary>
    /// Fails fast when the GPUs requested for this replica (<see cref="AcceleratorCount"/>) are not visible to
    /// the process. Call it at the start of <c>Main</c>, before loading data, so a wrong machine shape or image
    /// fails in seconds instead of training on the CPU for hours.
    /// </summary>
    /// <exception cref="GpuNotAvailableException">Fewer GPUs are visible than were requested.</exception>
    public void EnsureGpus() => GpuCheck.EnsureRequestedGpusVisible(this);

    /// <inheritdoc />
    public override string ToString() =>
        $"{TaskType}-{TaskIndex} (rank {Rank} of {WorldSize}{(TrialId is null ? "" : $", trial {TrialId}")}{(IsLocal ? ", local" : IsOnVertex ? ", on Vertex AI" : "")})";

    private int ReplicaCount(string pool) => Pools.TryGetValue(pool, out var replicas) ? replicas.Count : 0;

    private int DerivedRank() => Role switch
    {
        TaskRole.Primary => TaskIndex,
        TaskRole.Worker => ReplicaCount(WorkerPools.Primary) + TaskIndex,
        _ => -1,
    };

    /// <summary>Splits <c>host:port</c> (or <c>[v6]:port</c>); the port is null when missing or not a number.</summary>
    private static (string? Host, int? Port) SplitAddress(string? address)
    {
        if (address is null)
        {
            return (null, null);
        }

        string host;
        string port;
        if (address.StartsWith('[') && address.IndexOf("]:", StringComparison.Ordinal) is > 0 and var end)
        {
            (host, port) = (address[1..end], address[(end + 2)..]);
        }
        else if (address.IndexOf(':') is > 0 and var colon && colon == address.LastIndexOf(':'))
        {
            (host, port) = (address[..colon], address[(colon + 1)..]);
        }
        else
        {
            return (address, null);
        }

        return (host, int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null);
    }

    private TimeSpan ParseGracePeriod()
    {
        var text = NonEmpty(GracePeriodVariable)?.Trim();
        if (text is null)
        {
            return DefaultStopGracePeriod;
        }

        var (number, unit) = text[^1] switch
        {
            's' or 'S' => (text[..^1], 1.0),
            'm' or 'M' => (text[..^1], 60.0),
            'h' or 'H' => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return TimeSpan.FromSeconds(value * unit);
        }

        if (!text.Contains('.') && TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var clock))
        {
            return clock;
        }

        throw new TrainingEnvironmentException(
            GracePeriodVariable,
            $"The environment variable {GracePeriodVariable} must be a duration such as 30, 30s, 2m or 00:00:30 (the time between SIGTERM and the kill), found '{text}'.");
    }

    private ClusterSpec? ParseCluster(string variable) =>
        NonEmpty(variable) is { } json ? ClusterSpec.Parse(json, variable) : null;

    private static IReadOnlyDictionary<string, IReadOnlyList<string>>? PoolsOf(ClusterSpec? tfConfig)
    {
        if (tfConfig is null)
        {
            return null;
        }

        // TF_CONFIG names roles; chief and master are both the primary pool.
        var pools = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (role, addresses) in tfConfig.Cluster)
        {
            var pool = WorkerPools.PoolNameOf(role);
            pools[pool] = pools.TryGetValue(pool, out var existing) ? [.. existing, .. addresses] : addresses;
        }

        return pools.AsReadOnly();
    }

    private int? ParseWholeNumber(string variable, string meaning)
    {
        var text = NonEmpty(variable);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0
            ? count
            : throw new TrainingEnvironmentException(
                variable,
                $"The environment variable {variable} must be a non-negative whole number ({meaning}), found '{text}'.");
    }

    private string? NonEmpty(string name) => _getVariable(name) is { Length: > 0 } value ? value : null;

    private static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase));

    private static string? ToLocal(string? path) => path is null ? null : GcsPath.ToLocal(path);
}
