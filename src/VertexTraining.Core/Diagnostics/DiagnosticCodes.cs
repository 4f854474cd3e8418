namespace VertexTraining.Core.Diagnostics;

/// <summary>
/// Every diagnostic code we emit. Ranges: VTX1xxx configuration, VTX2xxx image and registry,
/// VTX3xxx authentication, VTX4xxx Vertex API, VTX5xxx local execution. Codes never change meaning.
/// </summary>
public static class DiagnosticCodes
{
    // Target and project.
    public const string InvalidTarget = "VTX1001";
    public const string MissingProject = "VTX1002";
    public const string InvalidProject = "VTX1003";
    public const string InvalidRegion = "VTX1004";
    public const string InvalidArtifactRepository = "VTX1005";
    public const string MissingRegistry = "VTX1006";
    public const string InvalidBoolean = "VTX1007";
    public const string InvalidApiEndpoint = "VTX1008";

    /// <summary>VertexImageLayers is not split or single (raised by the targets).</summary>
    public const string InvalidImageLayers = "VTX1100";

    /// <summary>A VertexLocalPreempt entry (or --preempt) is not TASK@AFTER.</summary>
    public const string InvalidLocalPreempt = "VTX1110";

    /// <summary>VertexLocalGracePeriod (or --grace-period) is not a duration from 0s to 1h.</summary>
    public const string InvalidLocalGracePeriod = "VTX1111";

    /// <summary>A VertexArg Include holds a ';', so MSBuild made several arguments of it (a warning).</summary>
    public const string ArgSplitOnSemicolon = "VTX1120";

    /// <summary>A machine type that has the name's shape but is not one Vertex AI training offers.</summary>
    public const string UnknownMachineType = "VTX1121";

    /// <summary>dotnet vertex quota --deadline is not 1 to 120 seconds.</summary>
    public const string InvalidQuotaDeadline = "VTX1170";

    /// <summary>VertexJobPatch cannot be read, is not JSON, or is not a JSON object.</summary>
    public const string PatchUnreadable = "VTX1171";

    /// <summary>VertexJobPatch removes the job's spec, changes its kind, or gives a field a value of the wrong JSON type.</summary>
    public const string PatchBreaksDocument = "VTX1172";

    /// <summary>VertexExperiment or VertexExperimentRun is neither a Vertex Experiments name nor a full context resource name.</summary>
    public const string InvalidExperiment = "VTX1173";

    /// <summary>VertexExperimentRun is set without VertexExperiment.</summary>
    public const string ExperimentRunWithoutExperiment = "VTX1174";

    /// <summary>VertexPscNetworkAttachment is not a network attachment name, or is combined with VertexNetwork (VPC peering).</summary>
    public const string InvalidPscNetworkAttachment = "VTX1175";

    /// <summary>VertexReservationAffinity (or a pool's ReservationAffinity) is not None, Any or Specific.</summary>
    public const string InvalidReservationAffinity = "VTX1176";

    /// <summary>VertexReservation is missing for Specific, set without Specific, or not projects/{p}/zones/{z}/reservations/{name}.</summary>
    public const string InvalidReservation = "VTX1177";

    /// <summary>A VertexEnvironmentVariable's WorkerPool is not a pool name, or names a pool the job does not run.</summary>
    public const string InvalidEnvironmentVariablePool = "VTX1178";

    /// <summary>VertexGpuPartitionSize (or a pool's GpuPartitionSize) is not a MIG profile, or not on one NVIDIA GPU.</summary>
    public const string InvalidGpuPartitionSize = "VTX1179";

    /// <summary>VertexTpuTopology (or a pool's TpuTopology) is not AxB[xC], or not on a TPU machine type.</summary>
    public const string InvalidTpuTopology = "VTX1180";

    /// <summary>A VertexNfsMount has a bad mount point, lacks Server or an absolute Path, or repeats a mount point.</summary>
    public const string InvalidNfsMount = "VTX1181";

    /// <summary>A VertexLustreMount has a bad mount point, lacks InstanceIp (an IPv4 address), VolumeHandle or Filesystem, or repeats a mount point.</summary>
    public const string InvalidLustreMount = "VTX1182";

    /// <summary>VertexProtectedArtifactLocation is not a region id.</summary>
    public const string InvalidProtectedArtifactLocation = "VTX1183";

    /// <summary>Warning: VertexProtectedArtifactLocation is the job's own region, where artifacts stay anyway; it is left out.</summary>
    public const string ProtectedArtifactLocationIsJobRegion = "VTX1184";

    /// <summary>VertexLocalMode is not auto, container or process (raised by the targets).</summary>
    public const string InvalidLocalMode = "VTX1009";

    // Display name and labels.
    public const string InvalidDisplayName = "VTX1010";
    public const string InvalidLabelKey = "VTX1011";
    public const string InvalidLabelValue = "VTX1012";
    public const string TooManyLabels = "VTX1013";
    public const string DuplicateLabel = "VTX1014";

    /// <summary>A --filter expression whose parentheses or quotes do not balance.</summary>
    public const string InvalidListFilter = "VTX1015";

    /// <summary>The command line does not parse: unknown command or option, missing argument, bad value.</summary>
    public const string InvalidCommandLine = "VTX1016";

    /// <summary>--poll-interval outside 0.5 s .. 1 h (or not a finite number).</summary>
    public const string InvalidPollInterval = "VTX1017";

    // Machines and accelerators.
    public const string InvalidMachineType = "VTX1020";
    public const string UnknownAcceleratorType = "VTX1021";
    public const string AcceleratorNotOnMachineType = "VTX1022";
    public const string InvalidAcceleratorCount = "VTX1023";
    public const string AcceleratorCountWithoutType = "VTX1024";
    public const string MachineTypeNeedsAccelerator = "VTX1025";
    public const string InvalidBootDiskSize = "VTX1026";
    public const string InvalidBootDiskType = "VTX1027";

    // Replicas and worker pools.
    public const string InvalidReplicaCount = "VTX1030";
    public const string UnknownWorkerPool = "VTX1031";
    public const string DuplicateWorkerPool = "VTX1032";
    public const string PrimaryPoolReplicaCount = "VTX1033";
    public const string MissingPrimaryPool = "VTX1034";
    public const string ReplicaCountWithWorkerPools = "VTX1035";
    public const string TpuReplicaCount = "VTX1036";

    // Scheduling.
    public const string InvalidDuration = "VTX1040";
    public const string InvalidSchedulingStrategy = "VTX1041";
    public const string MaxWaitWithoutFlexStart = "VTX1042";

    // Container arguments and environment.
    public const string TooManyEnvironmentVariables = "VTX1050";
    public const string InvalidEnvironmentVariableName = "VTX1051";
    public const string DuplicateEnvironmentVariable = "VTX1052";
    public const string ArgumentsTooLong = "VTX1053";

    // Pass-through resources.
    public const string InvalidGcsUri = "VTX1060";
    public const string InvalidServiceAccount = "VTX1061";
    public const string InvalidNetwork = "VTX1062";
    public const string InvalidTensorboard = "VTX1063";
    public const string InvalidKmsKeyName = "VTX1064";
    public const string InvalidPersistentResourceId = "VTX1065";

    // Hyperparameter tuning.
    public const string MissingMetric = "VTX1070";
    public const string InvalidMetricGoal = "VTX1071";
    public const string InvalidMetricId = "VTX1072";
    public const string InvalidParameterId = "VTX1073";
    public const string DuplicateParameterId = "VTX1074";
    public const string InvalidParameterType = "VTX1075";
    public const string InvalidParameterRange = "VTX1076";
    public const string InvalidParameterScale = "VTX1077";
    public const string InvalidParameterValues = "VTX1078";
    public const string InvalidTrialCount = "VTX1079";
    public const string InvalidSearchAlgorithm = "VTX1080";
    public const string GridNeedsFiniteParameters = "VTX1081";
    public const string InvalidMeasurementSelection = "VTX1082";
    public const string InvalidConditionalParameter = "VTX1083";
    public const string MetricWithoutHyperparameters = "VTX1084";

    // CUDA base image.
    public const string UnknownCudaVersion = "VTX1090";
    public const string UnknownCudaFlavor = "VTX1091";
    public const string UnknownUbuntuVersion = "VTX1092";
    public const string CudaFlavorNotAvailable = "VTX1093";

    // Image and registry.
    public const string MissingImageDigest = "VTX2001";
    public const string DocumentWriteFailed = "VTX2002";
    public const string RegistryTokenUnavailable = "VTX2003";

    /// <summary>The publish folder could not be split into layer folders (read, hash or link failed).</summary>
    public const string LayerStagingFailed = "VTX2050";

    /// <summary>The loopback registry that local container runs push their layered image to could not start.</summary>
    public const string LocalImageRegistryFailed = "VTX2051";

    /// <summary>A native library of the publish output needs what the base image lacks (a newer GLIBCXX_, a CUDA library of another flavour or version).</summary>
    public const string NativeLibraryIncompatible = "VTX2060";

    /// <summary>The publish output carries CUDA libraries that the chosen flavour installs too; a lighter flavour avoids it.</summary>
    public const string CudaLibrariesShippedTwice = "VTX2061";

    /// <summary>An ELF file of the publish output could not be read, or is not for linux-x64, so it was not checked.</summary>
    public const string NativeLibraryUnreadable = "VTX2062";

    /// <summary>The base image cannot be had from its registry, so no container can be built (raised by the targets).</summary>
    public const string BaseImageUnavailable = "VTX2070";

    /// <summary>Another SubmitTraining of the same project is running: two would overwrite each other's publish output.</summary>
    public const string ProjectRunInProgress = "VTX2071";

    /// <summary>dotnet-vertex submit failed without printing its own diagnostic (raised by the targets).</summary>
    public const string SubmitFailed = "VTX4000";

    /// <summary>The local job did not succeed (raised by the targets after dotnet-vertex local-run).</summary>
    public const string LocalRunFailed = "VTX5000";

    // Authentication (Application Default Credentials).
    public const string NoCredentials = "VTX3001";
    public const string CredentialFileNotFound = "VTX3002";
    public const string CredentialFileInvalid = "VTX3003";
    public const string UnsupportedCredentialType = "VTX3004";
    public const string TokenRequestFailed = "VTX3005";
    public const string MetadataServerUnavailable = "VTX3006";

    /// <summary>The token endpoint failed transiently (5xx, timeout, network): the credential was not refused.</summary>
    public const string TokenEndpointUnavailable = "VTX3007";

    // Vertex AI and Cloud Logging APIs.
    public const string ApiRequestFailed = "VTX4001";
    public const string ApiInvalidArgument = "VTX4002";
    public const string ApiUnauthenticated = "VTX4003";
    public const string ApiPermissionDenied = "VTX4004";
    public const string ApiNotFound = "VTX4005";
    public const string ApiConflict = "VTX4006";
    public const string ApiRetriesExhausted = "VTX4007";
    public const string ApiMalformedResponse = "VTX4008";
    public const string ApiUnreachable = "VTX4009";
    public const string InvalidJobReference = "VTX4010";

    /// <summary>A request would have left the configured API endpoint; refused before a token is fetched.</summary>
    public const string RequestOutsideEndpoint = "VTX4014";

    /// <summary>A response body above the 32 MiB bound; it is not read.</summary>
    public const string ApiResponseTooLarge = "VTX4015";
    public const string SubmissionOutcomeUnknown = "VTX4011";
    public const string InvalidRequestDocument = "VTX4012";
    public const string SubmissionFileWriteFailed = "VTX4013";
    public const string JobEndedFailed = "VTX4020";
    public const string JobEndedCancelled = "VTX4021";
    public const string JobEndedOtherwise = "VTX4022";
    public const string SubmitBuildFailed = "VTX4030";

    // Quota at submit (VTX4060-4079).

    /// <summary>A pool needs more of a custom-training quota than the project's limit in the region; raised before the image is pushed.</summary>
    public const string QuotaExceeded = "VTX4060";

    /// <summary>The project's quotas could not be read (permission, API disabled, network, slow answer); a warning, the submission goes on.</summary>
    public const string QuotaUnreadable = "VTX4061";

    // Local execution (VertexTarget=Local, dotnet vertex local-run).
    public const string LocalRequestUnreadable = "VTX5001";
    public const string LocalNoWayToRun = "VTX5002";
    public const string ContainerEngineUnavailable = "VTX5003";
    public const string LocalImageLoadFailed = "VTX5004";
    public const string ReplicaStartFailed = "VTX5005";
    public const string ReplicaFailed = "VTX5006";
    public const string LocalJobTimedOut = "VTX5007";
    public const string LocalJobCancelled = "VTX5008";
    public const string PoolNotRunnableAsProcess = "VTX5009";
    public const string LocalCommandNotFound = "VTX5010";
    public const string TooManyFailedTrials = "VTX5011";
    public const string TrialReportedNoMetric = "VTX5012";
    public const string NoTrialReportedMetric = "VTX5013";
    public const string LocalJobNotFound = "VTX5014";
    public const string LocalPublishFailed = "VTX5015";
    public const string LocalUnsupportedDocument = "VTX5016";
    public const string LocalRunFolderUnusable = "VTX5017";
    public const string LocalGpusUnavailable = "VTX5018";

    /// <summary>A trial was given a declared hyperparameter that the trainer never read (a warning).</summary>
    public const string LocalHyperparameterNeverRead = "VTX5020";

    // dotnet vertex report (issue 15).
    /// <summary>The report's --output file cannot be written (a folder, a missing parent that cannot be made, no permission).</summary>
    public const string ReportOutputNotWritable = "VTX1140";
    /// <summary>--open could not start a browser; the report is written all the same (a warning).</summary>
    public const string ReportOpenFailed = "VTX1141";

    // Tuning that stops early and continues (issue 16).
    public const string InvalidEarlyStopping = "VTX1150";

    /// <summary>--resume / VertexResume names no local tuning job that can be continued.</summary>
    public const string ResumeNotPossible = "VTX5050";

    /// <summary>--resume / VertexResume names a local job whose runner is still alive.</summary>
    public const string ResumeJobStillRunning = "VTX5051";

    /// <summary>--resume / VertexResume: the project's study differs from the saved one (parameters, metrics, algorithm).</summary>
    public const string ResumeStudyMismatch = "VTX5052";

    /// <summary>VertexTuningWarmStart names something the local tuner cannot learn from (a cloud job name, a CustomJob).</summary>
    public const string WarmStartNotPossible = "VTX5053";

    /// <summary>VertexTuningWarmStart names a study of another metric or goal.</summary>
    public const string WarmStartMetricMismatch = "VTX5054";

    /// <summary>Warning: VertexTuningWarmStart or VertexResume on a Cloud job, which Vertex AI v1 has no equivalent of.</summary>
    public const string LocalOnlyTuningProperty = "VTX1151";

    // Readable local tuning output (issue 15 part 3).
    /// <summary>VertexLocalVerbosity is not normal or detailed (checked by the targets before anything is built).</summary>
    public const string InvalidLocalVerbosity = "VTX5060";

    // Shares of the job in local runs (issue 17).
    /// <summary>The job mounts NFS or Lustre shares, which a process-mode run cannot place at /mnt/nfs or /mnt/lustre.</summary>
    public const string LocalMountInProcessMode = "VTX5070";

    /// <summary>A local folder for a share (<c>--mount</c>, LocalPath) is malformed or names no share of the job.</summary>
    public const string LocalMountFolderInvalid = "VTX5071";

    /// <summary>The local folder for a share cannot be created.</summary>
    public const string LocalMountFolderUnusable = "VTX5072";

    // Diagnostics of the MSBuild tasks themselves (issue 19).
    /// <summary>The bundled dotnet-vertex CLI could not be started (no dotnet host, or VertexCliAssembly names no CLI).</summary>
    public const string CliNotStartable = "VTX1190";

    /// <summary>TrustVertexLocalImageRegistry was given an address that is not on loopback; only the build's own registry is trusted over plain HTTP.</summary>
    public const string LocalImageRegistryNotLoopback = "VTX2080";
}
