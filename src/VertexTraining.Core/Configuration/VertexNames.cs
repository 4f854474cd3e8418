namespace VertexTraining.Core.Configuration;

/// <summary>The public MSBuild property names (the README's property table). Exact spelling matters: users type them.</summary>
public static class VertexProperty
{
    public const string Project = "VertexProject";
    public const string Region = "VertexRegion";
    public const string Target = "VertexTarget";
    public const string JobDisplayName = "VertexJobDisplayName";
    public const string ArtifactRepository = "VertexArtifactRepository";
    public const string CudaVersion = "VertexCudaVersion";
    public const string CudaFlavor = "VertexCudaFlavor";
    public const string UbuntuVersion = "VertexUbuntuVersion";
    public const string MachineType = "VertexMachineType";
    public const string MachineTypeCheck = "VertexMachineTypeCheck";
    public const string AcceleratorType = "VertexAcceleratorType";
    public const string AcceleratorCount = "VertexAcceleratorCount";
    public const string ReplicaCount = "VertexReplicaCount";
    public const string BootDiskType = "VertexBootDiskType";
    public const string BootDiskSizeGb = "VertexBootDiskSizeGb";
    public const string Args = "VertexArgs";
    public const string Timeout = "VertexTimeout";
    public const string SchedulingStrategy = "VertexSchedulingStrategy";
    public const string MaxWaitDuration = "VertexMaxWaitDuration";
    public const string RestartJobOnWorkerRestart = "VertexRestartJobOnWorkerRestart";
    public const string DisableRetries = "VertexDisableRetries";
    public const string LocalPreempt = "VertexLocalPreempt";
    public const string LocalGracePeriod = "VertexLocalGracePeriod";
    public const string ServiceAccount = "VertexServiceAccount";
    public const string Network = "VertexNetwork";
    public const string Tensorboard = "VertexTensorboard";
    public const string KmsKeyName = "VertexKmsKeyName";
    public const string PersistentResourceId = "VertexPersistentResourceId";
    public const string BaseOutputDirectory = "VertexBaseOutputDirectory";
    public const string EnableWebAccess = "VertexEnableWebAccess";
    public const string EnableDashboardAccess = "VertexEnableDashboardAccess";
    public const string Wait = "VertexWait";
    public const string DryRun = "VertexDryRun";
    public const string ApiEndpoint = "VertexApiEndpoint";
    public const string MaxTrialCount = "VertexMaxTrialCount";
    public const string ParallelTrialCount = "VertexParallelTrialCount";
    public const string MaxFailedTrialCount = "VertexMaxFailedTrialCount";
    public const string SearchAlgorithm = "VertexSearchAlgorithm";
    public const string MeasurementSelection = "VertexMeasurementSelection";
    public const string EarlyStopping = "VertexEarlyStopping";
    public const string TuningWarmStart = "VertexTuningWarmStart";
    public const string Resume = "VertexResume";
    public const string QuotaCheck = "VertexQuotaCheck";
    public const string QuotaEndpoint = "VertexQuotaEndpoint";
    public const string JobPatch = "VertexJobPatch";
    public const string Experiment = "VertexExperiment";
    public const string ExperimentRun = "VertexExperimentRun";
    public const string PscNetworkAttachment = "VertexPscNetworkAttachment";
    public const string ReservationAffinity = "VertexReservationAffinity";
    public const string Reservation = "VertexReservation";
    public const string GpuPartitionSize = "VertexGpuPartitionSize";
    public const string TpuTopology = "VertexTpuTopology";
    public const string ProtectedArtifactLocation = "VertexProtectedArtifactLocation";

    /// <summary>Not in the job document, but validated with it: where the image is pushed.</summary>
    public const string ContainerRegistry = "ContainerRegistry";
}

/// <summary>The public MSBuild item types and their metadata names.</summary>
public static class VertexItem
{
    public const string Arg = "VertexArg";
    public const string EnvironmentVariable = "VertexEnvironmentVariable";
    public const string NfsMount = "VertexNfsMount";
    public const string LustreMount = "VertexLustreMount";
    public const string Label = "VertexLabel";
    public const string WorkerPool = "VertexWorkerPool";
    public const string Metric = "VertexMetric";
    public const string Hyperparameter = "VertexHyperparameter";
}
