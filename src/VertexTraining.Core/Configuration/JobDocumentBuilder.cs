using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>The outcome of mapping a configuration: a document, or the reasons there is none.</summary>
public sealed record JobDocumentResult(JobDocument? Document, IReadOnlyList<VertexDiagnostic> Diagnostics)
{
    public bool Succeeded => Document is not null;
}

/// <summary>
/// The mapping from Vertex* properties and items to the job document. It exists only here: the
/// MSBuild task, the CLI and the tests all come through <see cref="Build"/>.
/// </summary>
public static class JobDocumentBuilder
{
    /// <summary>VertexRegion when none is given; the package's .props sets the same default (a test compares).</summary>
    public const string DefaultRegion = "us-central1";

    /// <summary>VertexMachineType when none is given; the package's .props sets the same default (a test compares).</summary>
    public const string DefaultMachineType = "n1-standard-4";

    /// <summary>Maps <paramref name="inputs"/> to a job document whose pools run <paramref name="imageUri"/>.</summary>
    public static JobDocumentResult Build(JobInputs inputs, string imageUri)
    {
        var bag = new DiagnosticBag();
        var read = new InputReader(bag);

        TargetSettings.Validate(inputs, read);
        Local.LocalRunRehearsal.Validate(inputs, bag);
        var displayName = ReadDisplayName(inputs, bag);
        var (experiment, experimentRun) = JobContextMapper.ReadExperiment(inputs, bag);
        var labels = LabelMapper.Map(inputs, bag);
        var spec = new CustomJobSpec
        {
            WorkerPoolSpecs = new WorkerPoolMapper(inputs, read).Map(imageUri),
            Scheduling = ReadScheduling(inputs, read),
            ServiceAccount = Pattern(inputs, VertexProperty.ServiceAccount, ResourceFormats.ServiceAccountEmail(), DiagnosticCodes.InvalidServiceAccount,
                "a service account email such as trainer@my-project.iam.gserviceaccount.com", bag),
            Network = Pattern(inputs, VertexProperty.Network, ResourceFormats.Network(), DiagnosticCodes.InvalidNetwork,
                "projects/{projectNumber}/global/networks/{name}", bag),
            Tensorboard = Pattern(inputs, VertexProperty.Tensorboard, ResourceFormats.Tensorboard(), DiagnosticCodes.InvalidTensorboard,
                "projects/{project}/locations/{region}/tensorboards/{id}", bag),
            PersistentResourceId = Pattern(inputs, VertexProperty.PersistentResourceId, ResourceFormats.PersistentResourceId(), DiagnosticCodes.InvalidPersistentResourceId,
                "a persistent resource id: 1-63 lowercase letters, digits or hyphens, starting with a letter", bag),
            BaseOutputDirectory = ReadOutputDirectory(inputs, bag),
            EnableWebAccess = read.Bool(inputs.Get(VertexProperty.EnableWebAccess), VertexProperty.EnableWebAccess),
            EnableDashboardAccess = read.Bool(inputs.Get(VertexProperty.EnableDashboardAccess), VertexProperty.EnableDashboardAccess),
            Experiment = experiment,
            ExperimentRun = experimentRun,
            PscInterfaceConfig = JobContextMapper.ReadPsc(inputs, bag),
            ProtectedArtifactLocationId = JobContextMapper.ReadProtectedArtifactLocation(inputs, bag),
        };

        var kms = Pattern(inputs, VertexProperty.KmsKeyName, ResourceFormats.KmsKeyName(), DiagnosticCodes.InvalidKmsKeyName,
            "projects/{project}/locations/{region}/keyRings/{ring}/cryptoKeys/{key}", bag);
        var encryption = kms is null ? null : new EncryptionSpec { KmsKeyName = kms };

        var study = StudySpecMapper.Map(inputs, read);
        if (bag.HasErrors)
        {
            return new JobDocumentResult(null, bag.Items);
        }

        var document = study is null
            ? JobDocument.ForCustomJob(new CustomJob { DisplayName = displayName, JobSpec = spec, Labels = labels, EncryptionSpec = encryption })
            : JobDocument.ForTuningJob(new HyperparameterTuningJob
            {
                DisplayName = displayName,
                StudySpec = study.Spec,
                MaxTrialCount = study.MaxTrialCount,
                ParallelTrialCount = study.ParallelTrialCount,
                MaxFailedTrialCount = study.MaxFailedTrialCount,
                TrialJobSpec = spec,
                Labels = labels,
                EncryptionSpec = encryption,
            });
        // Last, after every property is mapped: the patch may change anything the mapping wrote.
        return inputs.Get(VertexProperty.JobPatch) is { } patchFile
            ? new JobDocumentResult(JobPatch.Apply(document, patchFile, bag), bag.Items)
            : new JobDocumentResult(document, bag.Items);
    }

    /// <summary>Validates without an image: the check that runs before anything is built or pushed.</summary>
    public static IReadOnlyList<VertexDiagnostic> Validate(JobInputs inputs) =>
        Build(inputs, "validation.invalid/placeholder@sha256:" + new string('0', 64)).Diagnostics;

    private static string ReadDisplayName(JobInputs inputs, DiagnosticBag bag)
    {
        var name = inputs.Get(VertexProperty.JobDisplayName) ?? "vertex-training-job";
        // Vertex counts UTF-8 characters, not bytes.
        var length = System.Globalization.StringInfo.ParseCombiningCharacters(name).Length;
        if (length > 128)
        {
            bag.Error(DiagnosticCodes.InvalidDisplayName, VertexProperty.JobDisplayName,
                $"{VertexProperty.JobDisplayName} is {length} characters long; Vertex accepts at most 128.");
        }

        return name;
    }

    private static Scheduling? ReadScheduling(JobInputs inputs, InputReader read)
    {
        var strategy = read.OneOf(inputs.Get(VertexProperty.SchedulingStrategy), VertexProperty.SchedulingStrategy,
            DiagnosticCodes.InvalidSchedulingStrategy, "Standard", "Spot", "FlexStart");
        var maxWaitText = inputs.Get(VertexProperty.MaxWaitDuration);
        string? maxWait = null;
        if (maxWaitText is not null)
        {
            // An unrecognised strategy is already reported; don't add a second error calling it unset.
            var strategyIsInvalid = strategy is null && inputs.Get(VertexProperty.SchedulingStrategy) is not null;
            if (strategy != "FlexStart" && !strategyIsInvalid)
            {
                read.Diagnostics.Error(DiagnosticCodes.MaxWaitWithoutFlexStart, VertexProperty.MaxWaitDuration,
                    $"{VertexProperty.MaxWaitDuration} applies only when {VertexProperty.SchedulingStrategy} is FlexStart (it is '{strategy ?? "unset"}').");
            }

            // "0s" means "wait as long as it takes" for FlexStart.
            maxWait = DurationParser.TryParse(maxWaitText, out var zero) && zero == TimeSpan.Zero
                ? "0s"
                : read.Duration(maxWaitText, VertexProperty.MaxWaitDuration);
        }

        var scheduling = new Scheduling
        {
            Timeout = read.Duration(inputs.Get(VertexProperty.Timeout), VertexProperty.Timeout),
            Strategy = strategy switch { "Standard" => "STANDARD", "Spot" => "SPOT", "FlexStart" => "FLEX_START", _ => null },
            MaxWaitDuration = maxWait,
            RestartJobOnWorkerRestart = read.Bool(inputs.Get(VertexProperty.RestartJobOnWorkerRestart), VertexProperty.RestartJobOnWorkerRestart),
            DisableRetries = read.Bool(inputs.Get(VertexProperty.DisableRetries), VertexProperty.DisableRetries),
        };
        return scheduling is { Timeout: null, Strategy: null, MaxWaitDuration: null, RestartJobOnWorkerRestart: null, DisableRetries: null }
            ? null
            : scheduling;
    }

    private static GcsDestination? ReadOutputDirectory(JobInputs inputs, DiagnosticBag bag)
    {
        var uri = inputs.Get(VertexProperty.BaseOutputDirectory);
        if (uri is null)
        {
            return null;
        }

        if (!ResourceFormats.GcsUri().IsMatch(uri))
        {
            bag.Error(DiagnosticCodes.InvalidGcsUri, VertexProperty.BaseOutputDirectory,
                $"{VertexProperty.BaseOutputDirectory} is '{uri}'; expected a Cloud Storage URI gs://bucket/path with a valid bucket name (3-63 lowercase letters, digits, '-', '_', '.').");
            return null;
        }

        return new GcsDestination { OutputUriPrefix = uri };
    }

    private static string? Pattern(JobInputs inputs, string property, System.Text.RegularExpressions.Regex regex, string code, string expected, DiagnosticBag bag)
    {
        var value = inputs.Get(property);
        if (value is not null && !regex.IsMatch(value))
        {
            bag.Error(code, property, $"{property} is '{value}'; expected {expected}.");
        }

        return value;
    }
}
