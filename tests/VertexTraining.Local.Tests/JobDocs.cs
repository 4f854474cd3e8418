using VertexTraining.Core.Api;
using VertexTraining.Core.Configuration;

namespace VertexTraining.Local.Tests;

/// <summary>Job documents as the SDK writes them (typed models, serialised by the product's own JSON options).</summary>
internal static class JobDocs
{
    /// <summary>The image the document pins; the local runner stands the built image in for it.</summary>
    public const string ImageUri = "127.0.0.1:5000/vtx-local-tests-probe@sha256:0000000000000000000000000000000000000000000000000000000000000000";

    public static WorkerPoolSpec Pool(int replicas, params string[] args) => new()
    {
        MachineSpec = new MachineSpec { MachineType = "n1-standard-4" },
        ReplicaCount = replicas,
        ContainerSpec = new ContainerSpec { ImageUri = ImageUri, Args = [.. args] },
    };

    public static WorkerPoolSpec WithGpu(this WorkerPoolSpec pool, int count)
    {
        pool.MachineSpec = new MachineSpec { MachineType = "n1-standard-4", AcceleratorType = "NVIDIA_TESLA_T4", AcceleratorCount = count };
        (pool.ContainerSpec!.Env ??= []).AddRange(
        [
            new EnvVar { Name = "VERTEX_ACCELERATOR_COUNT", Value = count.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new EnvVar { Name = "VERTEX_ACCELERATOR_TYPE", Value = "NVIDIA_TESLA_T4" },
        ]);
        return pool;
    }

    public static WorkerPoolSpec WithEnv(this WorkerPoolSpec pool, string name, string value)
    {
        (pool.ContainerSpec!.Env ??= []).Add(new EnvVar { Name = name, Value = value });
        return pool;
    }

    public static CustomJobSpec Spec(params WorkerPoolSpec[] pools) => new() { WorkerPoolSpecs = [.. pools] };

    public static CustomJobSpec WithTimeout(this CustomJobSpec spec, string timeout)
    {
        spec.Scheduling = new Scheduling { Timeout = timeout };
        return spec;
    }

    public static JobDocument Custom(CustomJobSpec spec, string name = "local-test") =>
        JobDocument.ForCustomJob(new CustomJob { DisplayName = name, JobSpec = spec });

    public static JobDocument Tuning(CustomJobSpec trialSpec, StudySpec study, int maxTrials, int parallel, int maxFailed, string name = "local-tuning-test") =>
        JobDocument.ForTuningJob(new HyperparameterTuningJob
        {
            DisplayName = name,
            StudySpec = study,
            MaxTrialCount = maxTrials,
            ParallelTrialCount = parallel,
            MaxFailedTrialCount = maxFailed,
            TrialJobSpec = trialSpec,
        });

    public static StudySpec Study(string metric, string goal, string? algorithm, params ParameterSpec[] parameters) => new()
    {
        Metrics = [new MetricSpec { MetricId = metric, Goal = goal }],
        Parameters = [.. parameters],
        Algorithm = algorithm,
        MeasurementSelectionType = "LAST_MEASUREMENT",
    };

    public static ParameterSpec Discrete(string id, params double[] values) =>
        new() { ParameterId = id, DiscreteValueSpec = new DiscreteValueSpec { Values = [.. values] } };

    public static ParameterSpec Double(string id, double min, double max, string? scale = null) =>
        new() { ParameterId = id, DoubleValueSpec = new DoubleValueSpec { MinValue = min, MaxValue = max }, ScaleType = scale };

    public static ParameterSpec Integer(string id, long min, long max, string? scale = null) =>
        new() { ParameterId = id, IntegerValueSpec = new IntegerValueSpec { MinValue = min, MaxValue = max }, ScaleType = scale };

    public static ParameterSpec Categorical(string id, params string[] values) =>
        new() { ParameterId = id, CategoricalValueSpec = new CategoricalValueSpec { Values = [.. values] } };

    /// <summary>Writes the document as job-request.json in <paramref name="directory"/>.</summary>
    public static string Save(this JobDocument document, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "job-request.json");
        File.WriteAllText(path, document.ToJson());
        return path;
    }
}

/// <summary>Collects what an in-process run reports.</summary>
internal sealed class CollectingOutput : VertexTraining.Core.Local.ILocalRunOutput
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Text => string.Join("\n", Lines);

    public void Info(string message) => Add($"VertexTraining: {message}");

    public void Diagnostic(VertexTraining.Core.Diagnostics.VertexDiagnostic diagnostic) => Add(diagnostic.ToCanonicalString());

    public void TaskLine(string task, string line, bool isStandardError) => Add($"[{task}] {line}");

    private void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}
