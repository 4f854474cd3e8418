using System.Globalization;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>The tuning part of a HyperparameterTuningJob: its study and trial counts.</summary>
internal sealed record StudyPlan(StudySpec Spec, int MaxTrialCount, int ParallelTrialCount, int MaxFailedTrialCount);

/// <summary>
/// Maps <c>VertexMetric</c> and <c>VertexHyperparameter</c> items to a StudySpec. Returns null when
/// no hyperparameter is declared: the job is then a plain CustomJob.
/// </summary>
internal static class StudySpecMapper
{
    public static readonly string[] Types = ["Double", "Integer", "Discrete", "Categorical"];
    private static readonly string[] Scales = ["Linear", "Log", "ReverseLog"];
    private const long MaxExactInteger = 1L << 53;

    private sealed record Declared(ConfigItem Item, string Subject, string Type, ParameterSpec Spec);

    public static StudyPlan? Map(JobInputs inputs, InputReader read)
    {
        var bag = read.Diagnostics;
        var parameters = inputs.GetItems(VertexItem.Hyperparameter);
        var metricItems = inputs.GetItems(VertexItem.Metric);
        if (parameters.Count == 0)
        {
            if (metricItems.Count > 0)
            {
                bag.Warning(DiagnosticCodes.MetricWithoutHyperparameters, VertexItem.Metric,
                    $"{VertexItem.Metric} items are declared but no {VertexItem.Hyperparameter}; the job is a plain CustomJob and the metric is not tuned.");
            }

            return null;
        }

        var metrics = MapMetrics(metricItems, bag);
        var algorithm = read.OneOf(inputs.Get(VertexProperty.SearchAlgorithm), VertexProperty.SearchAlgorithm,
            DiagnosticCodes.InvalidSearchAlgorithm, "Default", "Grid", "Random") ?? "Default";
        var declared = MapParameters(parameters, bag);
        if (algorithm == "Grid")
        {
            foreach (var d in declared.Where(d => d.Type == "Double"))
            {
                bag.Error(DiagnosticCodes.GridNeedsFiniteParameters, d.Subject,
                    $"{d.Subject} is a Double, which grid search cannot enumerate; use Type=\"Discrete\" with Values, or {VertexProperty.SearchAlgorithm}=Random or Default.");
            }
        }

        var measurement = read.OneOf(inputs.Get(VertexProperty.MeasurementSelection), VertexProperty.MeasurementSelection,
            DiagnosticCodes.InvalidMeasurementSelection, "Last", "Best") ?? "Last";
        var stopping = read.OneOf(inputs.Get(VertexProperty.EarlyStopping), VertexProperty.EarlyStopping,
            DiagnosticCodes.InvalidEarlyStopping, [.. Local.Stopping.EarlyStoppingRules.Names]) ?? "None";
        var (maxTrials, parallel, maxFailed) = ReadTrialCounts(inputs, read);
        WarnLocalOnly(inputs, bag);

        var spec = new StudySpec
        {
            Metrics = metrics,
            Parameters = NestConditionals(declared, bag),
            Algorithm = algorithm switch { "Grid" => "GRID_SEARCH", "Random" => "RANDOM_SEARCH", _ => null },
            MeasurementSelectionType = measurement == "Best" ? "BEST_MEASUREMENT" : "LAST_MEASUREMENT",
            MedianAutomatedStoppingSpec = stopping == "Median" ? new AutomatedStoppingSpec { UseElapsedDuration = false } : null,
            DecayCurveStoppingSpec = stopping == "DecayCurve" ? new AutomatedStoppingSpec { UseElapsedDuration = false } : null,
        };
        return new StudyPlan(spec, maxTrials, parallel, maxFailed);
    }

    // Vertex AI v1 has no warm start and no way to continue a finished study: on the cloud these properties would
    // silently do nothing, so say so.
    private static void WarnLocalOnly(JobInputs inputs, DiagnosticBag bag)
    {
        if (TargetSettings.ResolveTarget(inputs) != TargetSettings.Cloud)
        {
            return;
        }

        if (inputs.Get(VertexProperty.TuningWarmStart) is not null)
        {
            bag.Warning(DiagnosticCodes.LocalOnlyTuningProperty, VertexProperty.TuningWarmStart,
                $"{VertexProperty.TuningWarmStart} is ignored for a Cloud job: Vertex AI v1 hyperparameter tuning has no warm start, so the cloud study starts from its own trials. It seeds local studies ({VertexProperty.Target}=Local).");
        }

        if (inputs.Get(VertexProperty.Resume) is not null)
        {
            bag.Warning(DiagnosticCodes.LocalOnlyTuningProperty, VertexProperty.Resume,
                $"{VertexProperty.Resume} is ignored for a Cloud job: it continues local tuning jobs ({VertexProperty.Target}=Local); this submits a new cloud study.");
        }
    }

    private static List<MetricSpec> MapMetrics(IReadOnlyList<ConfigItem> items, DiagnosticBag bag)
    {
        if (items.Count == 0)
        {
            bag.Error(DiagnosticCodes.MissingMetric, VertexItem.Metric,
                $"{VertexItem.Hyperparameter} items make this a tuning job, which needs a metric to optimise: add <{VertexItem.Metric} Include=\"accuracy\" Goal=\"Maximize\" /> and report it with HyperTune.Report.");
        }

        var metrics = new List<MetricSpec>();
        foreach (var item in items)
        {
            var subject = $"{VertexItem.Metric} '{item.Identity}'";
            if (item.Identity.Any(char.IsWhiteSpace) || item.Identity.Length == 0)
            {
                bag.Error(DiagnosticCodes.InvalidMetricId, subject, $"{subject}: metric ids cannot contain whitespace.");
            }
            else if (metrics.Any(m => m.MetricId == item.Identity))
            {
                bag.Error(DiagnosticCodes.InvalidMetricId, subject, $"{subject} is declared twice; metric ids must be unique.");
            }

            var goal = item.Get("Goal");
            var canonical = new[] { "Maximize", "Minimize" }.FirstOrDefault(g => string.Equals(g, goal, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
            {
                bag.Error(DiagnosticCodes.InvalidMetricGoal, subject, $"{subject} has Goal '{goal ?? ""}'; valid goals are Maximize and Minimize.");
            }

            metrics.Add(new MetricSpec { MetricId = item.Identity, Goal = canonical == "Minimize" ? "MINIMIZE" : "MAXIMIZE" });
        }

        return metrics;
    }

    private static List<Declared> MapParameters(IReadOnlyList<ConfigItem> items, DiagnosticBag bag)
    {
        var declared = new List<Declared>();
        foreach (var item in items)
        {
            var subject = $"{VertexItem.Hyperparameter} '{item.Identity}'";
            if (item.Identity.Length == 0 || item.Identity.Any(char.IsWhiteSpace))
            {
                bag.Error(DiagnosticCodes.InvalidParameterId, subject,
                    $"{subject}: parameter ids cannot contain whitespace; they become --{item.Identity.Trim()}=value arguments.");
                continue;
            }

            if (declared.Any(d => d.Item.Identity == item.Identity))
            {
                bag.Error(DiagnosticCodes.DuplicateParameterId, subject, $"{subject} is declared twice; parameter ids must be unique.");
                continue;
            }

            var type = Types.FirstOrDefault(t => string.Equals(t, item.Get("Type"), StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                bag.Error(DiagnosticCodes.InvalidParameterType, subject,
                    $"{subject} has Type '{item.Get("Type") ?? ""}'; valid types are {string.Join(", ", Types)}.");
                continue;
            }

            if (MapParameter(item, subject, type, bag) is { } spec)
            {
                declared.Add(new Declared(item, subject, type, spec));
            }
        }

        return declared;
    }

    private static ParameterSpec? MapParameter(ConfigItem item, string subject, string type, DiagnosticBag bag)
    {
        var spec = new ParameterSpec { ParameterId = item.Identity };
        var scaleText = item.Get("Scale");
        var scale = scaleText is null ? null : Scales.FirstOrDefault(s => string.Equals(s, scaleText, StringComparison.OrdinalIgnoreCase));
        if (scaleText is not null && scale is null)
        {
            bag.Error(DiagnosticCodes.InvalidParameterScale, subject, $"{subject} has Scale '{scaleText}'; valid scales are {string.Join(", ", Scales)}.");
        }

        if (type is "Double" or "Integer" && item.Get("Values") is not null || type is "Discrete" or "Categorical" && (item.Get("Min") ?? item.Get("Max")) is not null)
        {
            bag.Error(DiagnosticCodes.InvalidParameterValues, subject,
                $"{subject}: Double and Integer parameters take Min and Max; Discrete and Categorical parameters take Values.");
            return null;
        }

        double? lowest = null;
        switch (type)
        {
            case "Double" or "Integer":
                var min = Number(item.Get("Min"), subject, "Min", type == "Integer", bag);
                var max = Number(item.Get("Max"), subject, "Max", type == "Integer", bag);
                if (min is null || max is null)
                {
                    return null;
                }

                if (min > max)
                {
                    bag.Error(DiagnosticCodes.InvalidParameterRange, subject, $"{subject} has Min {Format(min.Value)} greater than Max {Format(max.Value)}; Min must not exceed Max.");
                    return null;
                }

                lowest = min;
                if (type == "Double")
                {
                    spec.DoubleValueSpec = new DoubleValueSpec { MinValue = min.Value, MaxValue = max.Value };
                }
                else
                {
                    spec.IntegerValueSpec = new IntegerValueSpec { MinValue = (long)min.Value, MaxValue = (long)max.Value };
                }

                break;
            case "Discrete":
                var values = DiscreteValues(item, subject, bag);
                if (values is null)
                {
                    return null;
                }

                lowest = values[0];
                spec.DiscreteValueSpec = new DiscreteValueSpec { Values = values };
                break;
            default:
                var categories = InputReader.SplitList(item.Get("Values"));
                if (categories.Count == 0 || categories.Distinct(StringComparer.Ordinal).Count() != categories.Count)
                {
                    bag.Error(DiagnosticCodes.InvalidParameterValues, subject,
                        $"{subject} is Categorical and needs Values: a ';'-separated list of distinct strings (e.g. Values=\"adam;sgd\").");
                    return null;
                }

                if (scale is not null)
                {
                    bag.Error(DiagnosticCodes.InvalidParameterScale, subject, $"{subject} is Categorical, which has no scale; remove Scale=\"{scale}\".");
                }

                spec.CategoricalValueSpec = new CategoricalValueSpec { Values = categories };
                return spec;
        }

        if (scale is "Log" or "ReverseLog" && lowest <= 0)
        {
            bag.Error(DiagnosticCodes.InvalidParameterScale, subject,
                $"{subject} uses Scale=\"{scale}\", which needs every value above 0, but its lowest value is {Format(lowest.Value)}.");
        }

        spec.ScaleType = scale switch
        {
            "Linear" => "UNIT_LINEAR_SCALE",
            "Log" => "UNIT_LOG_SCALE",
            "ReverseLog" => "UNIT_REVERSE_LOG_SCALE",
            _ => null,
        };
        return spec;
    }

    private static List<double>? DiscreteValues(ConfigItem item, string subject, DiagnosticBag bag)
    {
        var texts = InputReader.SplitList(item.Get("Values"));
        var values = new List<double>();
        foreach (var text in texts)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                bag.Error(DiagnosticCodes.InvalidParameterValues, subject, $"{subject} has Value '{text}', which is not a number; Discrete values are numbers.");
                return null;
            }

            values.Add(v);
        }

        if (values.Count == 0 || values.Zip(values.Skip(1)).Any(p => p.Second <= p.First))
        {
            bag.Error(DiagnosticCodes.InvalidParameterValues, subject,
                $"{subject} is Discrete and needs Values in increasing order without repeats (e.g. Values=\"32;64;128\"); got '{item.Get("Values") ?? ""}'.");
            return null;
        }

        return values;
    }

    private static double? Number(string? text, string subject, string name, bool integer, DiagnosticBag bag)
    {
        // Integer bounds become int64 strings; past 2^53 a double no longer holds every integer and the
        // cast to long would clamp or wrap, so such bounds are rejected rather than silently changed.
        if (text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            && (!integer || v == Math.Floor(v) && Math.Abs(v) <= MaxExactInteger))
        {
            return v;
        }

        bag.Error(DiagnosticCodes.InvalidParameterRange, subject,
            $"{subject} needs {name} as {(integer ? $"an integer from -{MaxExactInteger} to {MaxExactInteger}" : "a number")}; got '{text ?? ""}'.");
        return null;
    }

    private static (int MaxTrials, int Parallel, int MaxFailed) ReadTrialCounts(JobInputs inputs, InputReader read)
    {
        var code = DiagnosticCodes.InvalidTrialCount;
        var maxTrials = read.Int(inputs.Get(VertexProperty.MaxTrialCount), VertexProperty.MaxTrialCount, 1, 100_000, code) ?? 10;
        var parallel = read.Int(inputs.Get(VertexProperty.ParallelTrialCount), VertexProperty.ParallelTrialCount, 1, 100_000, code) ?? 1;
        var maxFailed = read.Int(inputs.Get(VertexProperty.MaxFailedTrialCount), VertexProperty.MaxFailedTrialCount, 0, 100_000, code) ?? 0;
        // The parallel and failed counts follow a smaller VertexMaxTrialCount (Vertex refuses either
        // above it): `-p:VertexMaxTrialCount=1` for a quick check of a project that declares
        // `VertexParallelTrialCount=2` must just work. The plan (printed at submit and by the local
        // tuner) shows the counts used.
        parallel = Math.Min(parallel, maxTrials);
        maxFailed = Math.Min(maxFailed, maxTrials);

        return (maxTrials, parallel, maxFailed);
    }

    /// <summary>Moves each conditional parameter under its parent's conditionalParameterSpecs.</summary>
    private static List<ParameterSpec> NestConditionals(List<Declared> declared, DiagnosticBag bag)
    {
        var byId = declared.ToDictionary(d => d.Item.Identity, StringComparer.Ordinal);
        var roots = new List<ParameterSpec>();
        foreach (var child in declared)
        {
            var parentId = child.Item.Get("ParentParameter");
            if (parentId is null)
            {
                if (child.Item.Get("ParentValues") is not null)
                {
                    bag.Error(DiagnosticCodes.InvalidConditionalParameter, child.Subject, $"{child.Subject} has ParentValues but no ParentParameter.");
                }

                roots.Add(child.Spec);
                continue;
            }

            if (!byId.TryGetValue(parentId, out var parent) || parent == child)
            {
                bag.Error(DiagnosticCodes.InvalidConditionalParameter, child.Subject,
                    $"{child.Subject} has ParentParameter '{parentId}', which is not another declared {VertexItem.Hyperparameter}.");
                continue;
            }

            if (HasCycle(child, byId))
            {
                bag.Error(DiagnosticCodes.InvalidConditionalParameter, child.Subject, $"{child.Subject}: its ParentParameter chain leads back to itself.");
                continue;
            }

            if (ParentCondition(child, parent, bag) is { } condition)
            {
                condition.ParameterSpec = child.Spec;
                (parent.Spec.ConditionalParameterSpecs ??= []).Add(condition);
            }
        }

        return roots;
    }

    private static bool HasCycle(Declared start, Dictionary<string, Declared> byId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.Item.Identity };
        var current = start;
        while (current.Item.Get("ParentParameter") is { } parentId && byId.TryGetValue(parentId, out var parent))
        {
            if (!seen.Add(parentId))
            {
                return true;
            }

            current = parent;
        }

        return false;
    }

    private static ConditionalParameterSpec? ParentCondition(Declared child, Declared parent, DiagnosticBag bag)
    {
        var values = InputReader.SplitList(child.Item.Get("ParentValues"));
        if (values.Count == 0)
        {
            bag.Error(DiagnosticCodes.InvalidConditionalParameter, child.Subject,
                $"{child.Subject} has ParentParameter '{parent.Item.Identity}' but no ParentValues: list the parent's values for which it applies.");
            return null;
        }

        bool Fail(string domain)
        {
            bag.Error(DiagnosticCodes.InvalidConditionalParameter, child.Subject,
                $"{child.Subject} has ParentValues '{string.Join(";", values)}', outside the domain of parent '{parent.Item.Identity}' ({domain}).");
            return false;
        }

        switch (parent.Type)
        {
            case "Categorical":
                var categories = parent.Spec.CategoricalValueSpec!.Values;
                return values.All(categories.Contains) || Fail("one of " + string.Join(", ", categories))
                    ? new ConditionalParameterSpec { ParentCategoricalValues = new CategoricalValueCondition { Values = values } }
                    : null;
            case "Discrete":
                var discrete = parent.Spec.DiscreteValueSpec!.Values;
                var parsed = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToList();
                return parsed.All(discrete.Contains) || Fail("one of " + string.Join(", ", discrete.Select(Format)))
                    ? new ConditionalParameterSpec { ParentDiscreteValues = new DiscreteValueCondition { Values = parsed } }
                    : null;
            case "Integer":
                var range = parent.Spec.IntegerValueSpec!;
                var ints = values.Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : (long?)null).ToList();
                return ints.All(i => i >= range.MinValue && i <= range.MaxValue) || Fail($"integers {range.MinValue} to {range.MaxValue}")
                    ? new ConditionalParameterSpec { ParentIntValues = new IntValueCondition { Values = [.. ints.Select(i => i!.Value)] } }
                    : null;
            default:
                bag.Error(DiagnosticCodes.InvalidConditionalParameter, child.Subject,
                    $"{child.Subject} has ParentParameter '{parent.Item.Identity}', a Double; a parent must be Integer, Discrete or Categorical.");
                return null;
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
