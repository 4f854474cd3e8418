using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local.Search;

/// <summary>
/// The parameters of a study, flattened: every parameter, with conditional parameters right after their parent
/// (so a parent is always chosen before the children that depend on it).
/// </summary>
public sealed class SearchSpace
{
    private SearchSpace(IReadOnlyList<SearchParameter> parameters)
    {
        Parameters = parameters;
    }

    /// <summary>All parameters, parents before their conditional children.</summary>
    public IReadOnlyList<SearchParameter> Parameters { get; }

    /// <summary>Whether every parameter has finitely many values (grid search needs this).</summary>
    public bool IsFinite => Parameters.All(p => p.IsFinite);

    /// <summary>Reads a StudySpec's parameters.</summary>
    /// <exception cref="LocalRunException">A parameter has no usable value spec.</exception>
    public static SearchSpace FromStudy(IEnumerable<ParameterSpec> parameters)
    {
        var flat = new List<SearchParameter>();
        foreach (var spec in parameters)
        {
            Add(spec, null, [], flat);
        }

        if (flat.Count == 0)
        {
            throw Invalid("The study has no parameters to tune.");
        }

        var duplicate = flat.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        return duplicate is not null ? throw Invalid($"The parameter '{duplicate.Key}' is declared twice.") : new SearchSpace(flat);
    }

    /// <summary>Builds a space directly (benchmarks and tests).</summary>
    public static SearchSpace Of(params SearchParameter[] parameters) => new(parameters);

    /// <summary>A DOUBLE parameter.</summary>
    public static SearchParameter Double(string id, double min, double max, ParameterScale scale = ParameterScale.Linear) =>
        new(id, ParameterKind.Double, scale, min, max, [], [], null, []);

    /// <summary>An INTEGER parameter.</summary>
    public static SearchParameter Integer(string id, long min, long max, ParameterScale scale = ParameterScale.Linear) =>
        new(id, ParameterKind.Integer, scale, min, max, [], [], null, []);

    /// <summary>A DISCRETE parameter.</summary>
    public static SearchParameter Discrete(string id, IReadOnlyList<double> values, ParameterScale scale = ParameterScale.Linear) =>
        new(id, ParameterKind.Discrete, scale, values[0], values[^1], values, [], null, []);

    /// <summary>A CATEGORICAL parameter.</summary>
    public static SearchParameter Categorical(string id, IReadOnlyList<string> values) =>
        new(id, ParameterKind.Categorical, ParameterScale.Linear, 0, 0, [], values, null, []);

    /// <summary>A random assignment: each active parameter drawn as <see cref="SearchParameter.Sample"/> does.</summary>
    public ParameterAssignment Sample(Random random)
    {
        var chosen = new List<KeyValuePair<string, ParameterValue>>();
        foreach (var parameter in Parameters)
        {
            if (parameter.IsActiveIn(chosen))
            {
                chosen.Add(new(parameter.Id, parameter.Sample(random)));
            }
        }

        return new ParameterAssignment(chosen);
    }

    private static void Add(ParameterSpec spec, SearchParameter? parent, IReadOnlyList<ParameterValue> parentValues, List<SearchParameter> flat)
    {
        var scale = spec.ScaleType switch
        {
            "UNIT_LOG_SCALE" => ParameterScale.Log,
            "UNIT_REVERSE_LOG_SCALE" => ParameterScale.ReverseLog,
            _ => ParameterScale.Linear,
        };
        var id = spec.ParameterId;
        SearchParameter parameter;
        if (spec.DoubleValueSpec is { } d)
        {
            Check(d.MinValue <= d.MaxValue, id, $"its minValue {d.MinValue} is above its maxValue {d.MaxValue}");
            parameter = new SearchParameter(id, ParameterKind.Double, scale, d.MinValue, d.MaxValue, [], [], parent, parentValues);
        }
        else if (spec.IntegerValueSpec is { } i)
        {
            Check(i.MinValue <= i.MaxValue, id, $"its minValue {i.MinValue} is above its maxValue {i.MaxValue}");
            parameter = new SearchParameter(id, ParameterKind.Integer, scale, i.MinValue, i.MaxValue, [], [], parent, parentValues);
        }
        else if (spec.DiscreteValueSpec is { Values.Count: > 0 } discrete)
        {
            var values = discrete.Values.Order().Distinct().ToList();
            parameter = new SearchParameter(id, ParameterKind.Discrete, scale, values[0], values[^1], values, [], parent, parentValues);
        }
        else if (spec.CategoricalValueSpec is { Values.Count: > 0 } categorical)
        {
            parameter = new SearchParameter(id, ParameterKind.Categorical, ParameterScale.Linear, 0, 0, [], [.. categorical.Values.Distinct()], parent, parentValues);
        }
        else
        {
            throw Invalid($"The parameter '{id}' has none of doubleValueSpec, integerValueSpec, discreteValueSpec (with values) or categoricalValueSpec (with values).");
        }

        if (scale != ParameterScale.Linear && parameter.IsNumeric)
        {
            var lowest = parameter.Kind == ParameterKind.Integer ? parameter.Min - 0.5 : parameter.Min;
            Check(lowest > 0, id, $"its {spec.ScaleType} needs values above 0{(parameter.Kind == ParameterKind.Integer ? " (for integers: a minValue of at least 1)" : "")}");
        }

        flat.Add(parameter);
        foreach (var conditional in spec.ConditionalParameterSpecs ?? [])
        {
            if (conditional.ParameterSpec is null)
            {
                continue;
            }

            List<ParameterValue> when =
                conditional.ParentCategoricalValues is { } c ? [.. c.Values.Select(ParameterValue.Of)]
                : conditional.ParentDiscreteValues is { } dv ? [.. dv.Values.Select(ParameterValue.Of)]
                : conditional.ParentIntValues is { } iv ? [.. iv.Values.Select(v => ParameterValue.Of(v))]
                : [];
            Check(when.Count > 0, conditional.ParameterSpec.ParameterId, $"it is conditional on '{id}' but lists no parent values");
            Add(conditional.ParameterSpec, parameter, when, flat);
        }
    }

    private static void Check(bool condition, string id, string problem)
    {
        if (!condition)
        {
            throw Invalid($"The parameter '{id}' cannot be searched: {problem}.");
        }
    }

    private static LocalRunException Invalid(string message) =>
        new(DiagnosticCodes.InvalidParameterValues, message, isConfigurationError: true);
}
