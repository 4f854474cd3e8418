using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;
using static VertexTraining.Core.Tests.JobFixtures;
using P = VertexTraining.Core.Configuration.VertexProperty;
using I = VertexTraining.Core.Configuration.VertexItem;

namespace VertexTraining.Core.Tests;

/// <summary>
/// One bad configuration per row: the baseline with exactly one thing wrong. Each must be reported
/// once, with its code, naming the property or item at fault and what would be valid.
/// </summary>
public sealed class ValidationTests
{
    /// <param name="Description">What is wrong; also the theory row's name.</param>
    /// <param name="Break">Applied to <see cref="JobFixtures.Baseline"/>.</param>
    /// <param name="Code">The one code expected.</param>
    /// <param name="Subject">The property or item the diagnostic must be about.</param>
    /// <param name="ValidHint">Text from the part of the message that says what would be valid.</param>
    public sealed record Case(string Description, Action<JobInputs> Break, string Code, string Subject, string ValidHint);

    private static readonly Case[] Cases =
    [
        // Machines and accelerators.
        new("T4 on a2-highgpu-1g", i => i.Set(P.MachineType, "a2-highgpu-1g").Set(P.AcceleratorType, "NVIDIA_TESLA_T4"),
            DiagnosticCodes.AcceleratorNotOnMachineType, P.AcceleratorType, "it fits n1-standard-4"),
        new("A100 on n1-standard-4", i => i.Set(P.AcceleratorType, "NVIDIA_TESLA_A100"),
            DiagnosticCodes.AcceleratorNotOnMachineType, P.AcceleratorType, "a2-highgpu-1g"),
        new("T4 x3 on n1-standard-4", i => i.Set(P.AcceleratorType, "NVIDIA_TESLA_T4").Set(P.AcceleratorCount, "3"),
            DiagnosticCodes.InvalidAcceleratorCount, P.AcceleratorCount, "takes 1, 2, 4"),
        new("V100 x1 on n1-standard-16", i => i.Set(P.MachineType, "n1-standard-16").Set(P.AcceleratorType, "NVIDIA_TESLA_V100").Set(P.AcceleratorCount, "1"),
            DiagnosticCodes.InvalidAcceleratorCount, P.AcceleratorCount, "takes 2, 4, 8"),
        new("L4 x2 on g2-standard-8", i => i.Set(P.MachineType, "g2-standard-8").Set(P.AcceleratorType, "NVIDIA_L4").Set(P.AcceleratorCount, "2"),
            DiagnosticCodes.InvalidAcceleratorCount, P.AcceleratorCount, "takes 1"),
        new("T4 on n1-standard-32 with the default count of 1", i => i.Set(P.MachineType, "n1-standard-32").Set(P.AcceleratorType, "NVIDIA_TESLA_T4"),
            DiagnosticCodes.InvalidAcceleratorCount, P.AcceleratorCount, "takes 2, 4"),
        new("accelerator count 0", i => i.Set(P.AcceleratorType, "NVIDIA_TESLA_T4").Set(P.AcceleratorCount, "0"),
            DiagnosticCodes.InvalidAcceleratorCount, P.AcceleratorCount, "from 1 to 2048"),
        new("unknown accelerator NVIDIA_TESLA_K80", i => i.Set(P.AcceleratorType, "NVIDIA_TESLA_K80"),
            DiagnosticCodes.UnknownAcceleratorType, P.AcceleratorType, "NVIDIA_L4"),
        new("accelerator count without a type", i => i.Set(P.AcceleratorCount, "2"),
            DiagnosticCodes.AcceleratorCountWithoutType, P.AcceleratorCount, "set VertexAcceleratorType"),
        new("a2-highgpu-1g without an accelerator", i => i.Set(P.MachineType, "a2-highgpu-1g"),
            DiagnosticCodes.MachineTypeNeedsAccelerator, P.AcceleratorType, "NVIDIA_TESLA_A100"),
        new("g2-standard-8 without an accelerator", i => i.Set(P.MachineType, "g2-standard-8"),
            DiagnosticCodes.MachineTypeNeedsAccelerator, P.AcceleratorType, "NVIDIA_L4"),
        new("malformed machine type n1_standard_4", i => i.Set(P.MachineType, "n1_standard_4"),
            DiagnosticCodes.InvalidMachineType, P.MachineType, "n1-standard-4"),
        new("misspelt machine type n1-standrd-4", i => i.Set(P.MachineType, "n1-standrd-4"),
            DiagnosticCodes.UnknownMachineType, P.MachineType, "nearest: n1-standard-4"),
        new("pool with a machine type training does not offer (n1-standard-2)", i => i.Set(P.MachineType, "n1-standard-2"),
            DiagnosticCodes.UnknownMachineType, P.MachineType, "VertexMachineTypeCheck=false"),
        new("VertexMachineTypeCheck 'no'", i => i.Set(P.MachineTypeCheck, "no"), DiagnosticCodes.InvalidBoolean, P.MachineTypeCheck, "true or false"),
        new("boot disk of 50 GB", i => i.Set(P.BootDiskSizeGb, "50"), DiagnosticCodes.InvalidBootDiskSize, P.BootDiskSizeGb, "from 100 to 64000"),
        new("boot disk of 70000 GB", i => i.Set(P.BootDiskSizeGb, "70000"), DiagnosticCodes.InvalidBootDiskSize, P.BootDiskSizeGb, "from 100 to 64000"),
        new("boot disk size 'big'", i => i.Set(P.BootDiskSizeGb, "big"), DiagnosticCodes.InvalidBootDiskSize, P.BootDiskSizeGb, "from 100 to 64000"),
        new("boot disk type 'ssd'", i => i.Set(P.BootDiskType, "ssd"), DiagnosticCodes.InvalidBootDiskType, P.BootDiskType, "pd-ssd, pd-standard"),
        new("boot disk type in a worker pool", i => i.Add(I.WorkerPool, "Primary", ("BootDiskType", "local-ssd")),
            DiagnosticCodes.InvalidBootDiskType, "VertexWorkerPool 'Primary' BootDiskType", "pd-ssd"),

        // Replicas and worker pools.
        new("replica count 0", i => i.Set(P.ReplicaCount, "0"), DiagnosticCodes.InvalidReplicaCount, P.ReplicaCount, "from 1 to 100000"),
        new("replica count 'abc'", i => i.Set(P.ReplicaCount, "abc"), DiagnosticCodes.InvalidReplicaCount, P.ReplicaCount, "from 1 to 100000"),
        new("unknown worker pool 'Chief'", i => i.Add(I.WorkerPool, "Primary").Add(I.WorkerPool, "Chief"),
            DiagnosticCodes.UnknownWorkerPool, "VertexWorkerPool 'Chief'", "Primary, Workers, ParameterServers, Evaluators"),
        new("worker pool declared twice", i => i.Add(I.WorkerPool, "Primary").Add(I.WorkerPool, "Workers").Add(I.WorkerPool, "workers"),
            DiagnosticCodes.DuplicateWorkerPool, "VertexWorkerPool 'workers'", "declare each pool once"),
        new("Primary pool with ReplicaCount 2", i => i.Add(I.WorkerPool, "Primary", ("ReplicaCount", "2")),
            DiagnosticCodes.PrimaryPoolReplicaCount, "VertexWorkerPool 'Primary'", "exactly 1 replica"),
        new("worker pools without Primary", i => i.Add(I.WorkerPool, "Workers", ("ReplicaCount", "2")),
            DiagnosticCodes.MissingPrimaryPool, I.WorkerPool, "Include=\"Primary\""),
        new("VertexReplicaCount with declared pools", i => i.Set(P.ReplicaCount, "4").Add(I.WorkerPool, "Primary"),
            DiagnosticCodes.ReplicaCountWithWorkerPools, P.ReplicaCount, "Set ReplicaCount on the VertexWorkerPool items"),
        new("Workers pool with ReplicaCount 0", i => i.Add(I.WorkerPool, "Primary").Add(I.WorkerPool, "Workers", ("ReplicaCount", "0")),
            DiagnosticCodes.InvalidReplicaCount, "VertexWorkerPool 'Workers' ReplicaCount", "from 1 to 100000"),
        new("TPU with 2 replicas", i => i.Set(P.MachineType, "cloud-tpu").Set(P.AcceleratorType, "TPU_V3").Set(P.AcceleratorCount, "8").Set(P.ReplicaCount, "2"),
            DiagnosticCodes.TpuReplicaCount, P.ReplicaCount, "single replica"),

        // Scheduling.
        new("timeout '90 minutes'", i => i.Set(P.Timeout, "90 minutes"), DiagnosticCodes.InvalidDuration, P.Timeout, "90m"),
        new("timeout '-5m'", i => i.Set(P.Timeout, "-5m"), DiagnosticCodes.InvalidDuration, P.Timeout, "3600s"),
        new("timeout '1:2:3'", i => i.Set(P.Timeout, "1:2:3"), DiagnosticCodes.InvalidDuration, P.Timeout, "hh:mm:ss"),
        new("timeout of 300000000 hours (beyond TimeSpan)", i => i.Set(P.Timeout, "300000000:00:00"), DiagnosticCodes.InvalidDuration, P.Timeout, "hh:mm:ss"),
        new("timeout in Arabic-Indic digits", i => i.Set(P.Timeout, "\u0669\u0660m"), DiagnosticCodes.InvalidDuration, P.Timeout, "90m"),
        new("timeout '0s'", i => i.Set(P.Timeout, "0s"), DiagnosticCodes.InvalidDuration, P.Timeout, "greater than zero"),
        new("scheduling strategy 'Preemptible'", i => i.Set(P.SchedulingStrategy, "Preemptible"),
            DiagnosticCodes.InvalidSchedulingStrategy, P.SchedulingStrategy, "Standard, Spot, FlexStart"),
        new("max wait with Spot", i => i.Set(P.SchedulingStrategy, "Spot").Set(P.MaxWaitDuration, "1h"),
            DiagnosticCodes.MaxWaitWithoutFlexStart, P.MaxWaitDuration, "only when VertexSchedulingStrategy is FlexStart"),
        new("max wait with an unknown strategy", i => i.Set(P.SchedulingStrategy, "Preemptible").Set(P.MaxWaitDuration, "1h"),
            DiagnosticCodes.InvalidSchedulingStrategy, P.SchedulingStrategy, "Standard, Spot, FlexStart"),
        new("max wait without a strategy", i => i.Set(P.MaxWaitDuration, "0s"),
            DiagnosticCodes.MaxWaitWithoutFlexStart, P.MaxWaitDuration, "FlexStart"),
        new("max wait 'soon' with FlexStart", i => i.Set(P.SchedulingStrategy, "FlexStart").Set(P.MaxWaitDuration, "soon"),
            DiagnosticCodes.InvalidDuration, P.MaxWaitDuration, "hh:mm:ss"),

        // Target, project, region, registry, endpoint.
        new("region us-central1-a (a zone)", i => i.Set(P.Region, "us-central1-a"), DiagnosticCodes.InvalidRegion, P.Region, "such as us-central1"),
        new("region US-CENTRAL1", i => i.Set(P.Region, "US-CENTRAL1"), DiagnosticCodes.InvalidRegion, P.Region, "such as us-central1"),
        new("project id with uppercase", i => i.Set(P.Project, "My-Project"), DiagnosticCodes.InvalidProject, P.Project, "6-30 lowercase letters"),
        new("project id too short", i => i.Set(P.Project, "proj"), DiagnosticCodes.InvalidProject, P.Project, "6-30 lowercase letters"),
        new("project id ending in a hyphen", i => i.Set(P.Project, "my-project-"), DiagnosticCodes.InvalidProject, P.Project, "not ending with a hyphen"),
        new("project id starting with a digit", i => i.Set(P.Project, "1project"), DiagnosticCodes.InvalidProject, P.Project, "starting with a letter"),
        new("missing project with Target=Cloud", i => i.Properties.Remove(P.Project), DiagnosticCodes.MissingProject, P.Project, "VertexTarget=Local"),
        new("target 'Remote'", i => i.Set(P.Target, "Remote"), DiagnosticCodes.InvalidTarget, P.Target, "Cloud, Local"),
        new("no registry for a Cloud job", i => i.Properties.Remove(P.ArtifactRepository),
            DiagnosticCodes.MissingRegistry, P.ArtifactRepository, "set ContainerRegistry"),
        new("artifact repository 'Training_Repo'", i => i.Set(P.ArtifactRepository, "Training_Repo"),
            DiagnosticCodes.InvalidArtifactRepository, P.ArtifactRepository, "lowercase letters, digits or hyphens"),
        new("artifact repository given as a full path", i => i.Set(P.ArtifactRepository, "us-docker.pkg.dev/my-project/training"),
            DiagnosticCodes.InvalidArtifactRepository, P.ArtifactRepository, "just the id"),
        new("API endpoint 'not a url'", i => i.Set(P.ApiEndpoint, "not a url"), DiagnosticCodes.InvalidApiEndpoint, P.ApiEndpoint, "https://"),
        new("API endpoint with ftp scheme", i => i.Set(P.ApiEndpoint, "ftp://aiplatform.example.test"),
            DiagnosticCodes.InvalidApiEndpoint, P.ApiEndpoint, "https://"),
        new("VertexWait 'maybe'", i => i.Set(P.Wait, "maybe"), DiagnosticCodes.InvalidBoolean, P.Wait, "true or false"),

        // Output directory and pass-through resources.
        new("output directory s3://b/x", i => i.Set(P.BaseOutputDirectory, "s3://b/x"), DiagnosticCodes.InvalidGcsUri, P.BaseOutputDirectory, "gs://bucket/path"),
        new("output directory gs://B/x", i => i.Set(P.BaseOutputDirectory, "gs://B/x"), DiagnosticCodes.InvalidGcsUri, P.BaseOutputDirectory, "lowercase letters"),
        new("output directory gs://a", i => i.Set(P.BaseOutputDirectory, "gs://a"), DiagnosticCodes.InvalidGcsUri, P.BaseOutputDirectory, "3-63"),
        new("service account 'trainer'", i => i.Set(P.ServiceAccount, "trainer"),
            DiagnosticCodes.InvalidServiceAccount, P.ServiceAccount, "trainer@my-project.iam.gserviceaccount.com"),
        new("network 'default'", i => i.Set(P.Network, "default"), DiagnosticCodes.InvalidNetwork, P.Network, "projects/{projectNumber}/global/networks/{name}"),
        new("network named by project id", i => i.Set(P.Network, "projects/my-project/global/networks/default"),
            DiagnosticCodes.InvalidNetwork, P.Network, "{projectNumber}"),
        new("tensorboard 'my-board'", i => i.Set(P.Tensorboard, "my-board"),
            DiagnosticCodes.InvalidTensorboard, P.Tensorboard, "projects/{project}/locations/{region}/tensorboards/{id}"),
        new("KMS key without its key ring", i => i.Set(P.KmsKeyName, "projects/my-project/locations/us/cryptoKeys/k"),
            DiagnosticCodes.InvalidKmsKeyName, P.KmsKeyName, "keyRings/{ring}/cryptoKeys/{key}"),
        new("persistent resource 'My_Pool'", i => i.Set(P.PersistentResourceId, "My_Pool"),
            DiagnosticCodes.InvalidPersistentResourceId, P.PersistentResourceId, "lowercase letters, digits or hyphens"),
        new("web access 'yes'", i => i.Set(P.EnableWebAccess, "yes"), DiagnosticCodes.InvalidBoolean, P.EnableWebAccess, "true or false"),
        new("disable retries '1'", i => i.Set(P.DisableRetries, "1"), DiagnosticCodes.InvalidBoolean, P.DisableRetries, "true or false"),

        // Display name and labels.
        new("display name of 129 characters", i => i.Set(P.JobDisplayName, new string('n', 129)),
            DiagnosticCodes.InvalidDisplayName, P.JobDisplayName, "at most 128"),
        new("label key 'Team' (uppercase)", i => i.Add(I.Label, "Team", ("Value", "vision")),
            DiagnosticCodes.InvalidLabelKey, "VertexLabel 'Team'", "starting with a lowercase letter"),
        new("label key '1team' (starts with a digit)", i => i.Add(I.Label, "1team", ("Value", "vision")),
            DiagnosticCodes.InvalidLabelKey, "VertexLabel '1team'", "starting with a lowercase letter"),
        new("label key of 65 characters", i => i.Add(I.Label, new string('k', 65), ("Value", "v")),
            DiagnosticCodes.InvalidLabelKey, $"VertexLabel '{new string('k', 65)}'", "1-64 characters"),
        new("label value 'Vision' (uppercase)", i => i.Add(I.Label, "team", ("Value", "Vision")),
            DiagnosticCodes.InvalidLabelValue, "VertexLabel 'team'", "lowercase letters, digits"),
        new("label declared twice", i => i.Add(I.Label, "team", ("Value", "vision")).Add(I.Label, "team", ("Value", "nlp")),
            DiagnosticCodes.DuplicateLabel, "VertexLabel 'team'", "declare each label once"),
        new("61 labels", i => Enumerable.Range(0, 61).ToList().ForEach(n => i.Add(I.Label, $"l{n}", ("Value", "v"))),
            DiagnosticCodes.TooManyLabels, I.Label, "at most 60"),

        // Environment and arguments.
        new("99 environment variables", i => Enumerable.Range(0, 99).ToList().ForEach(n => i.Add(I.EnvironmentVariable, $"VAR_{n}", ("Value", "x"))),
            DiagnosticCodes.TooManyEnvironmentVariables, I.EnvironmentVariable, "at most 98"),
        new("environment variable '1BAD'", i => i.Add(I.EnvironmentVariable, "1BAD", ("Value", "x")),
            DiagnosticCodes.InvalidEnvironmentVariableName, "VertexEnvironmentVariable '1BAD'", "not starting with a digit"),
        new("environment variable declared twice", i => i.Add(I.EnvironmentVariable, "MODE", ("Value", "a")).Add(I.EnvironmentVariable, "MODE", ("Value", "b")),
            DiagnosticCodes.DuplicateEnvironmentVariable, "VertexEnvironmentVariable 'MODE'", "declare each variable once"),
        new("environment variable reserved for accelerators", i => i.Add(I.EnvironmentVariable, "VERTEX_ACCELERATOR_COUNT", ("Value", "4")),
            DiagnosticCodes.InvalidEnvironmentVariableName, "VertexEnvironmentVariable 'VERTEX_ACCELERATOR_COUNT'", "set VertexAcceleratorCount"),
        new("arguments over 100000 characters", i => i.Add(I.Arg, "--blob=" + new string('x', 100_000)),
            DiagnosticCodes.ArgumentsTooLong, P.Args, "at most 100000"),

        // Hyperparameter tuning.
        new("hyperparameter id declared twice", i => i.WithTuning().Add(I.Hyperparameter, "lr", ("Type", "Double"), ("Min", "0.1"), ("Max", "1")),
            DiagnosticCodes.DuplicateParameterId, "VertexHyperparameter 'lr'", "must be unique"),
        new("hyperparameter id with whitespace", i => i.WithTuning().Add(I.Hyperparameter, "learning rate", ("Type", "Double"), ("Min", "0.1"), ("Max", "1")),
            DiagnosticCodes.InvalidParameterId, "VertexHyperparameter 'learning rate'", "cannot contain whitespace"),
        new("hyperparameter Min > Max", i => i.WithTuning().Add(I.Hyperparameter, "layers", ("Type", "Integer"), ("Min", "8"), ("Max", "2")),
            DiagnosticCodes.InvalidParameterRange, "VertexHyperparameter 'layers'", "Min must not exceed Max"),
        new("Integer hyperparameter with a fractional Max", i => i.WithTuning().Add(I.Hyperparameter, "layers", ("Type", "Integer"), ("Min", "1"), ("Max", "2.5")),
            DiagnosticCodes.InvalidParameterRange, "VertexHyperparameter 'layers'", "Max as an integer"),
        new("Integer hyperparameter Max beyond 2^53", i => i.WithTuning().Add(I.Hyperparameter, "steps", ("Type", "Integer"), ("Min", "1"), ("Max", "1e20")),
            DiagnosticCodes.InvalidParameterRange, "VertexHyperparameter 'steps'", "an integer from -9007199254740992 to 9007199254740992"),
        new("Log scale with Min 0", i => i.WithTuning().Add(I.Hyperparameter, "decay", ("Type", "Double"), ("Min", "0"), ("Max", "1"), ("Scale", "Log")),
            DiagnosticCodes.InvalidParameterScale, "VertexHyperparameter 'decay'", "above 0"),
        new("unknown scale 'Exponential'", i => i.WithTuning().Add(I.Hyperparameter, "decay", ("Type", "Double"), ("Min", "0"), ("Max", "1"), ("Scale", "Exponential")),
            DiagnosticCodes.InvalidParameterScale, "VertexHyperparameter 'decay'", "Linear, Log, ReverseLog"),
        new("Discrete values not increasing", i => i.WithTuning().Add(I.Hyperparameter, "batch", ("Type", "Discrete"), ("Values", "64;32;128")),
            DiagnosticCodes.InvalidParameterValues, "VertexHyperparameter 'batch'", "increasing order"),
        new("Categorical with a scale", i => i.WithTuning().Add(I.Hyperparameter, "optimizer", ("Type", "Categorical"), ("Values", "adam;sgd"), ("Scale", "Linear")),
            DiagnosticCodes.InvalidParameterScale, "VertexHyperparameter 'optimizer'", "remove Scale"),
        new("Double with Values", i => i.WithTuning().Add(I.Hyperparameter, "decay", ("Type", "Double"), ("Values", "0.1;0.2")),
            DiagnosticCodes.InvalidParameterValues, "VertexHyperparameter 'decay'", "take Min and Max"),
        new("unknown hyperparameter type 'Float'", i => i.WithTuning().Add(I.Hyperparameter, "decay", ("Type", "Float"), ("Min", "0"), ("Max", "1")),
            DiagnosticCodes.InvalidParameterType, "VertexHyperparameter 'decay'", "Double, Integer, Discrete, Categorical"),
        new("Grid search with a Double parameter", i => i.WithTuning().Set(P.SearchAlgorithm, "Grid"),
            DiagnosticCodes.GridNeedsFiniteParameters, "VertexHyperparameter 'lr'", "Type=\"Discrete\""),
        new("search algorithm 'Bayesian'", i => i.WithTuning().Set(P.SearchAlgorithm, "Bayesian"),
            DiagnosticCodes.InvalidSearchAlgorithm, P.SearchAlgorithm, "Default, Grid, Random"),
        new("measurement selection 'Median'", i => i.WithTuning().Set(P.MeasurementSelection, "Median"),
            DiagnosticCodes.InvalidMeasurementSelection, P.MeasurementSelection, "Last, Best"),
        new("early stopping 'Convex'", i => i.WithTuning().Set(P.EarlyStopping, "Convex"),
            DiagnosticCodes.InvalidEarlyStopping, P.EarlyStopping, "None, Median, DecayCurve"),
        new("parallel trial count 0", i => i.WithTuning().Set(P.ParallelTrialCount, "0"),
            DiagnosticCodes.InvalidTrialCount, P.ParallelTrialCount, "from 1 to 100000"),
        new("max failed trial count -1", i => i.WithTuning().Set(P.MaxFailedTrialCount, "-1"),
            DiagnosticCodes.InvalidTrialCount, P.MaxFailedTrialCount, "from 0 to 100000"),
        new("conditional parent not declared", i => i.WithTuning().Add(I.Hyperparameter, "momentum", ("Type", "Double"), ("Min", "0.5"), ("Max", "0.9"),
                ("ParentParameter", "optimizer"), ("ParentValues", "sgd")),
            DiagnosticCodes.InvalidConditionalParameter, "VertexHyperparameter 'momentum'", "not another declared VertexHyperparameter"),
        new("conditional value outside a Categorical parent", i => i.WithTuning()
                .Add(I.Hyperparameter, "optimizer", ("Type", "Categorical"), ("Values", "adam;sgd"))
                .Add(I.Hyperparameter, "momentum", ("Type", "Double"), ("Min", "0.5"), ("Max", "0.9"), ("ParentParameter", "optimizer"), ("ParentValues", "rmsprop")),
            DiagnosticCodes.InvalidConditionalParameter, "VertexHyperparameter 'momentum'", "one of adam, sgd"),
        new("conditional value outside a Discrete parent", i => i.WithTuning()
                .Add(I.Hyperparameter, "batch", ("Type", "Discrete"), ("Values", "16;32"))
                .Add(I.Hyperparameter, "dropout", ("Type", "Double"), ("Min", "0"), ("Max", "0.5"), ("ParentParameter", "batch"), ("ParentValues", "64")),
            DiagnosticCodes.InvalidConditionalParameter, "VertexHyperparameter 'dropout'", "one of 16, 32"),
        new("conditional value outside an Integer parent", i => i.WithTuning()
                .Add(I.Hyperparameter, "layers", ("Type", "Integer"), ("Min", "1"), ("Max", "4"))
                .Add(I.Hyperparameter, "width", ("Type", "Integer"), ("Min", "16"), ("Max", "64"), ("ParentParameter", "layers"), ("ParentValues", "2;9")),
            DiagnosticCodes.InvalidConditionalParameter, "VertexHyperparameter 'width'", "integers 1 to 4"),
        new("conditional parameter under a Double parent", i => i.WithTuning()
                .Add(I.Hyperparameter, "warmup", ("Type", "Integer"), ("Min", "0"), ("Max", "10"), ("ParentParameter", "lr"), ("ParentValues", "0.01")),
            DiagnosticCodes.InvalidConditionalParameter, "VertexHyperparameter 'warmup'", "Integer, Discrete or Categorical"),
        new("conditional parameter without ParentValues", i => i.WithTuning()
                .Add(I.Hyperparameter, "optimizer", ("Type", "Categorical"), ("Values", "adam;sgd"))
                .Add(I.Hyperparameter, "momentum", ("Type", "Double"), ("Min", "0.5"), ("Max", "0.9"), ("ParentParameter", "optimizer")),
            DiagnosticCodes.InvalidConditionalParameter, "VertexHyperparameter 'momentum'", "list the parent's values"),
        new("metric goal 'Maximum'", i => i.Add(I.Metric, "accuracy", ("Goal", "Maximum"))
                .Add(I.Hyperparameter, "lr", ("Type", "Double"), ("Min", "0.0001"), ("Max", "0.1")),
            DiagnosticCodes.InvalidMetricGoal, "VertexMetric 'accuracy'", "Maximize and Minimize"),
        new("metric id with whitespace", i => i.Add(I.Metric, "top 1", ("Goal", "Maximize"))
                .Add(I.Hyperparameter, "lr", ("Type", "Double"), ("Min", "0.0001"), ("Max", "0.1")),
            DiagnosticCodes.InvalidMetricId, "VertexMetric 'top 1'", "cannot contain whitespace"),
        new("hyperparameters without a metric", i => i.Add(I.Hyperparameter, "lr", ("Type", "Double"), ("Min", "0.0001"), ("Max", "0.1")),
            DiagnosticCodes.MissingMetric, I.Metric, "Goal=\"Maximize\""),
    ];

    public static IEnumerable<object[]> CaseNames() => Cases.Select(c => new object[] { c.Description });

    [Fact]
    public void Baseline_is_valid()
    {
        Assert.Empty(JobDocumentBuilder.Validate(Baseline()));
        Assert.Empty(JobDocumentBuilder.Validate(Baseline().WithTuning()));
    }

    [Fact]
    public void There_are_at_least_30_distinct_cases_covering_every_configuration_code()
    {
        Assert.True(Cases.Length >= 30, $"only {Cases.Length} cases");
        Assert.Equal(Cases.Length, Cases.Select(c => c.Description).Distinct().Count());

        // Every error code the job-document mapping emits has at least one row.
        string[] builderCodes =
        [
            DiagnosticCodes.InvalidTarget, DiagnosticCodes.MissingProject, DiagnosticCodes.InvalidProject, DiagnosticCodes.InvalidRegion,
            DiagnosticCodes.InvalidArtifactRepository, DiagnosticCodes.MissingRegistry, DiagnosticCodes.InvalidBoolean, DiagnosticCodes.InvalidApiEndpoint,
            DiagnosticCodes.InvalidDisplayName, DiagnosticCodes.InvalidLabelKey, DiagnosticCodes.InvalidLabelValue, DiagnosticCodes.TooManyLabels,
            DiagnosticCodes.DuplicateLabel, DiagnosticCodes.InvalidMachineType, DiagnosticCodes.UnknownAcceleratorType,
            DiagnosticCodes.AcceleratorNotOnMachineType, DiagnosticCodes.InvalidAcceleratorCount, DiagnosticCodes.AcceleratorCountWithoutType,
            DiagnosticCodes.MachineTypeNeedsAccelerator, DiagnosticCodes.InvalidBootDiskSize, DiagnosticCodes.InvalidBootDiskType,
            DiagnosticCodes.InvalidReplicaCount, DiagnosticCodes.UnknownWorkerPool, DiagnosticCodes.DuplicateWorkerPool,
            DiagnosticCodes.PrimaryPoolReplicaCount, DiagnosticCodes.MissingPrimaryPool, DiagnosticCodes.ReplicaCountWithWorkerPools,
            DiagnosticCodes.TpuReplicaCount, DiagnosticCodes.InvalidDuration, DiagnosticCodes.InvalidSchedulingStrategy,
            DiagnosticCodes.MaxWaitWithoutFlexStart, DiagnosticCodes.TooManyEnvironmentVariables, DiagnosticCodes.InvalidEnvironmentVariableName,
            DiagnosticCodes.DuplicateEnvironmentVariable, DiagnosticCodes.ArgumentsTooLong, DiagnosticCodes.InvalidGcsUri,
            DiagnosticCodes.InvalidServiceAccount, DiagnosticCodes.InvalidNetwork, DiagnosticCodes.InvalidTensorboard,
            DiagnosticCodes.InvalidKmsKeyName, DiagnosticCodes.InvalidPersistentResourceId, DiagnosticCodes.MissingMetric,
            DiagnosticCodes.InvalidMetricGoal, DiagnosticCodes.InvalidMetricId, DiagnosticCodes.InvalidParameterId,
            DiagnosticCodes.DuplicateParameterId, DiagnosticCodes.InvalidParameterType, DiagnosticCodes.InvalidParameterRange,
            DiagnosticCodes.InvalidParameterScale, DiagnosticCodes.InvalidParameterValues, DiagnosticCodes.InvalidTrialCount,
            DiagnosticCodes.InvalidSearchAlgorithm, DiagnosticCodes.GridNeedsFiniteParameters, DiagnosticCodes.InvalidMeasurementSelection,
            DiagnosticCodes.InvalidConditionalParameter, DiagnosticCodes.InvalidEarlyStopping,
        ];
        Assert.Empty(builderCodes.Except(Cases.Select(c => c.Code)));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Bad_configuration_is_reported_once_with_its_code(string description)
    {
        var @case = Cases.Single(c => c.Description == description);
        var inputs = Baseline();
        @case.Break(inputs);

        var result = JobDocumentBuilder.Build(inputs, Image);

        Assert.Null(result.Document);
        var errors = result.Diagnostics.Where(d => !d.IsWarning).ToList();
        var error = Assert.Single(errors, d => d.Code == @case.Code);
        Assert.True(errors.Count == 1, "One thing is wrong, so one error is expected; got:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        Assert.Equal(@case.Subject, error.Subject);
        Assert.Contains(@case.Subject, error.Message);
        Assert.Contains(@case.ValidHint, error.Message);
        Assert.Matches(@"^VTX1\d{3}$", error.Code);
        Assert.Equal(result.Diagnostics, JobDocumentBuilder.Validate(inputs));
    }

    [Fact]
    public void A_machine_type_newer_than_the_catalog_passes_when_the_check_is_off()
    {
        var inputs = Baseline().Set(P.MachineType, "n5-standard-8").Set(P.MachineTypeCheck, "false");

        Assert.Empty(JobDocumentBuilder.Validate(inputs));
        Assert.Contains(JobDocumentBuilder.Validate(Baseline().Set(P.MachineType, "n5-standard-8")), d => d.Code == DiagnosticCodes.UnknownMachineType);
    }

    [Fact]
    public void Every_machine_type_an_accelerator_fits_is_a_known_training_machine_type()
    {
        foreach (var accelerator in MachineCatalog.AcceleratorTypes)
        {
            Assert.All(MachineCatalog.MachineTypesFor(accelerator), m => Assert.True(TrainingMachineTypes.IsKnown(m), m));
        }

        Assert.Equal(["n1-standard-4", "n1-standard-8", "n2-standard-4"], TrainingMachineTypes.Nearest("n1-standrd-4"));
    }

    [Fact]
    public void Fully_valid_complex_configuration_has_no_diagnostics()
    {
        var inputs = Baseline()
            .Set(P.Region, "europe-west4")
            .Set(P.JobDisplayName, "sweep-" + new string('x', 122))
            .Set(P.MachineType, "a2-highgpu-1g")
            .Set(P.AcceleratorType, "NVIDIA_TESLA_A100")
            .Set(P.BootDiskType, "hyperdisk-balanced")
            .Set(P.BootDiskSizeGb, "64000")
            .Set(P.Args, "--epochs=3;--data=gs://my-bucket/data")
            .Set(P.Timeout, "12:00:00")
            .Set(P.SchedulingStrategy, "flexstart")
            .Set(P.MaxWaitDuration, "0s")
            .Set(P.RestartJobOnWorkerRestart, "true")
            .Set(P.DisableRetries, "true")
            .Set(P.ServiceAccount, "trainer@my-project.iam.gserviceaccount.com")
            .Set(P.Network, "projects/123/global/networks/vpc-1")
            .Set(P.Tensorboard, "projects/my-project/locations/europe-west4/tensorboards/7")
            .Set(P.KmsKeyName, "projects/my-project/locations/europe-west4/keyRings/r/cryptoKeys/k")
            .Set(P.PersistentResourceId, "gpu-pool-1")
            .Set(P.BaseOutputDirectory, "gs://my_bucket.example/out")
            .Set(P.EnableWebAccess, "True")
            .Set(P.EnableDashboardAccess, "false")
            .Set(P.Wait, "true")
            .Set(P.DryRun, "false")
            .Set(P.ApiEndpoint, "http://127.0.0.1:8089")
            .Set(P.MaxTrialCount, "24")
            .Set(P.ParallelTrialCount, "4")
            .Set(P.MaxFailedTrialCount, "24")
            .Set(P.SearchAlgorithm, "Grid")
            .Set(P.MeasurementSelection, "Best")
            .Add(I.Arg, "--seed=7")
            .Add(I.EnvironmentVariable, "_PRIVATE", ("Value", ""))
            .Add(I.Label, "team", ("Value", "vision"))
            .Add(I.Label, "équipe", ("Value", "données"))
            .Add(I.Label, "empty", ("Value", ""))
            .Add(I.Label, new string('k', 64), ("Value", new string('v', 64)))
            .Add(I.WorkerPool, "Primary")
            .Add(I.WorkerPool, "Workers", ("ReplicaCount", "3"), ("MachineType", "a2-highgpu-2g"), ("AcceleratorCount", "2"))
            .Add(I.WorkerPool, "ParameterServers", ("MachineType", "n1-highmem-16"), ("AcceleratorType", "NVIDIA_TESLA_V100"), ("AcceleratorCount", "8"))
            .Add(I.WorkerPool, "Evaluators", ("MachineType", "g2-standard-24"), ("AcceleratorType", "NVIDIA_L4"), ("AcceleratorCount", "2"), ("ImageUri", "127.0.0.1:5000/eval:1"))
            .Add(I.Metric, "accuracy", ("Goal", "MAXIMIZE"))
            .Add(I.Metric, "latency_ms", ("Goal", "Minimize"))
            .Add(I.Hyperparameter, "layers", ("Type", "Integer"), ("Min", "1"), ("Max", "4"), ("Scale", "Log"))
            .Add(I.Hyperparameter, "batch", ("Type", "Discrete"), ("Values", "16; 32 ;64"), ("Scale", "ReverseLog"))
            .Add(I.Hyperparameter, "optimizer", ("Type", "Categorical"), ("Values", "adam;sgd"))
            .Add(I.Hyperparameter, "momentum", ("Type", "Discrete"), ("Values", "0.5;0.9"), ("ParentParameter", "optimizer"), ("ParentValues", "sgd"))
            .Add(I.Hyperparameter, "width", ("Type", "Integer"), ("Min", "8"), ("Max", "64"), ("ParentParameter", "layers"), ("ParentValues", "3;4"))
            .Add(I.Hyperparameter, "warmup", ("Type", "Categorical"), ("Values", "on;off"), ("ParentParameter", "batch"), ("ParentValues", "64"));
        Enumerable.Range(0, 60 - 4).ToList().ForEach(n => inputs.Add(I.Label, $"l{n}", ("Value", "v")));
        Enumerable.Range(0, 97).ToList().ForEach(n => inputs.Add(I.EnvironmentVariable, $"VAR_{n}", ("Value", "x")));

        var result = JobDocumentBuilder.Build(inputs, Image);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Succeeded);
        Assert.True(result.Document!.IsTuningJob);
        Assert.Equal(4, result.Document.Spec.WorkerPoolSpecs!.Count);
    }

    [Fact]
    public void Independent_errors_are_all_reported_in_one_pass()
    {
        var inputs = Baseline()
            .Set(P.Region, "us-central1-a")
            .Set(P.AcceleratorType, "NVIDIA_TESLA_T4")
            .Set(P.AcceleratorCount, "3")
            .Set(P.Timeout, "soon")
            .Set(P.ServiceAccount, "trainer")
            .Set(P.EnableWebAccess, "yes")
            .Add(I.Label, "Team", ("Value", "x"))
            .Add(I.EnvironmentVariable, "1BAD", ("Value", "x"))
            .Add(I.WorkerPool, "Primary", ("ReplicaCount", "2"))
            .Add(I.Metric, "accuracy", ("Goal", "Up"))
            .Add(I.Hyperparameter, "layers", ("Type", "Integer"), ("Min", "8"), ("Max", "2"));

        var result = JobDocumentBuilder.Build(inputs, Image);

        Assert.Null(result.Document);
        Assert.Equal(
            new[]
            {
                DiagnosticCodes.InvalidRegion, DiagnosticCodes.InvalidAcceleratorCount, DiagnosticCodes.InvalidDuration,
                DiagnosticCodes.InvalidServiceAccount, DiagnosticCodes.InvalidBoolean, DiagnosticCodes.InvalidLabelKey,
                DiagnosticCodes.InvalidEnvironmentVariableName, DiagnosticCodes.PrimaryPoolReplicaCount,
                DiagnosticCodes.InvalidMetricGoal, DiagnosticCodes.InvalidParameterRange,
            }.Order(),
            result.Diagnostics.Select(d => d.Code).Order());
    }

    [Fact]
    public void Local_target_needs_neither_project_nor_registry()
    {
        Assert.Empty(JobDocumentBuilder.Validate(new JobInputs().Set(P.Target, "local")));
        Assert.Empty(JobDocumentBuilder.Validate(new JobInputs()));
        Assert.Equal(TargetSettings.Local, TargetSettings.ResolveTarget(new JobInputs()));
        Assert.Equal(TargetSettings.Cloud, TargetSettings.ResolveTarget(Baseline().Set(P.Target, "")));
        Assert.Equal(TargetSettings.Local, TargetSettings.ResolveTarget(Baseline().Set(P.Target, "LOCAL")));
    }

    [Fact]
    public void Project_without_a_target_means_Cloud_and_needs_a_registry()
    {
        var inputs = new JobInputs().Set(P.Project, "my-project");

        var error = Assert.Single(JobDocumentBuilder.Validate(inputs));

        Assert.Equal(DiagnosticCodes.MissingRegistry, error.Code);
        Assert.Empty(JobDocumentBuilder.Validate(inputs.Set(P.ContainerRegistry, "127.0.0.1:5000")));
    }
}
