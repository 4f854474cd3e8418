using System.Text.Json.Serialization;

namespace VertexTraining.Core.Api;

public sealed class HyperparameterTuningJob
{
    public string? Name { get; set; }
    public string? DisplayName { get; set; }
    public StudySpec? StudySpec { get; set; }
    public int? MaxTrialCount { get; set; }
    public int? ParallelTrialCount { get; set; }
    public int? MaxFailedTrialCount { get; set; }
    public CustomJobSpec? TrialJobSpec { get; set; }
    public List<Trial>? Trials { get; set; }
    public string? State { get; set; }
    public string? CreateTime { get; set; }
    public string? StartTime { get; set; }
    public string? EndTime { get; set; }
    public string? UpdateTime { get; set; }
    public RpcStatus? Error { get; set; }
    public SortedDictionary<string, string>? Labels { get; set; }
    public EncryptionSpec? EncryptionSpec { get; set; }
}

public sealed class StudySpec
{
    public List<MetricSpec>? Metrics { get; set; }
    public List<ParameterSpec>? Parameters { get; set; }
    public string? Algorithm { get; set; }
    public string? MeasurementSelectionType { get; set; }

    /// <summary>One of the automated stopping specs (a oneof): the median rule.</summary>
    public AutomatedStoppingSpec? MedianAutomatedStoppingSpec { get; set; }

    /// <summary>One of the automated stopping specs (a oneof): the decay curve rule.</summary>
    public AutomatedStoppingSpec? DecayCurveStoppingSpec { get; set; }
}

/// <summary>StudySpec.MedianAutomatedStoppingSpec and DecayCurveAutomatedStoppingSpec, which have the same one field.</summary>
public sealed class AutomatedStoppingSpec
{
    /// <summary>False: steps (global_step), not elapsed time, are the curves' x-axis.</summary>
    public bool UseElapsedDuration { get; set; }
}

public sealed class MetricSpec
{
    public string MetricId { get; set; } = "";
    public string Goal { get; set; } = "";
}

public sealed class ParameterSpec
{
    public string ParameterId { get; set; } = "";
    public DoubleValueSpec? DoubleValueSpec { get; set; }
    public IntegerValueSpec? IntegerValueSpec { get; set; }
    public CategoricalValueSpec? CategoricalValueSpec { get; set; }
    public DiscreteValueSpec? DiscreteValueSpec { get; set; }
    public string? ScaleType { get; set; }
    public List<ConditionalParameterSpec>? ConditionalParameterSpecs { get; set; }
}

public sealed class DoubleValueSpec
{
    public double MinValue { get; set; }
    public double MaxValue { get; set; }
}

public sealed class IntegerValueSpec
{
    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long MinValue { get; set; }

    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long MaxValue { get; set; }
}

public sealed class CategoricalValueSpec
{
    public List<string> Values { get; set; } = [];
}

public sealed class DiscreteValueSpec
{
    public List<double> Values { get; set; } = [];
}

public sealed class ConditionalParameterSpec
{
    public ParameterSpec? ParameterSpec { get; set; }
    public DiscreteValueCondition? ParentDiscreteValues { get; set; }
    public IntValueCondition? ParentIntValues { get; set; }
    public CategoricalValueCondition? ParentCategoricalValues { get; set; }
}

public sealed class DiscreteValueCondition
{
    public List<double> Values { get; set; } = [];
}

public sealed class IntValueCondition
{
    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public List<long> Values { get; set; } = [];
}

public sealed class CategoricalValueCondition
{
    public List<string> Values { get; set; } = [];
}

public sealed class Trial
{
    public string? Name { get; set; }
    public string? Id { get; set; }
    public string? State { get; set; }
    public List<TrialParameter>? Parameters { get; set; }
    public Measurement? FinalMeasurement { get; set; }
    public List<Measurement>? Measurements { get; set; }
    public string? StartTime { get; set; }
    public string? EndTime { get; set; }
    public string? InfeasibleReason { get; set; }
    public string? CustomJob { get; set; }

    /// <summary>
    /// Local runs only, not a Vertex AI field: the step of the last report before the study's automated stopping
    /// rule stopped the trial. Vertex's Trial resource has no such mark.
    /// </summary>
    public long? StoppedEarlyAtStep { get; set; }
}

public sealed class TrialParameter
{
    public string ParameterId { get; set; } = "";

    /// <summary>google.protobuf.Value: a bare JSON number or string.</summary>
    public System.Text.Json.JsonElement Value { get; set; }
}

public sealed class Measurement
{
    public string? ElapsedDuration { get; set; }

    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public long? StepCount { get; set; }

    public List<MeasurementMetric>? Metrics { get; set; }
}

public sealed class MeasurementMetric
{
    public string MetricId { get; set; } = "";
    public double Value { get; set; }
}
