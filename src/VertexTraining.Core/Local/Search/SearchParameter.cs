namespace VertexTraining.Core.Local.Search;

/// <summary>The four parameter types of a StudySpec.</summary>
public enum ParameterKind
{
    /// <summary>doubleValueSpec: a real number in [min, max].</summary>
    Double,

    /// <summary>integerValueSpec: a whole number in [min, max].</summary>
    Integer,

    /// <summary>discreteValueSpec: one of an increasing list of numbers.</summary>
    Discrete,

    /// <summary>categoricalValueSpec: one of a list of strings.</summary>
    Categorical,
}

/// <summary>How a numeric parameter's range is spread over the search: UNIT_LINEAR_SCALE, UNIT_LOG_SCALE, UNIT_REVERSE_LOG_SCALE.</summary>
public enum ParameterScale
{
    /// <summary>Evenly (also when the scale is unspecified).</summary>
    Linear,

    /// <summary>Evenly in log(x): small values are explored as much as large ones (learning rates).</summary>
    Log,

    /// <summary>Evenly in -log(max + min - x): values near the maximum are explored densely (momentum near 1).</summary>
    ReverseLog,
}

/// <summary>
/// One parameter of the search space, with the mapping between its values and the unit interval [0, 1] in which
/// the algorithms work: the scale is applied there, so a uniform draw in [0, 1] is a log-uniform draw for a
/// log-scaled parameter. Integer ranges are widened by half a step at each end so every integer gets an equal share.
/// </summary>
public sealed class SearchParameter
{
    private readonly double _low;
    private readonly double _high;
    private readonly double[] _discreteUnits;

    internal SearchParameter(
        string id,
        ParameterKind kind,
        ParameterScale scale,
        double min,
        double max,
        IReadOnlyList<double> discreteValues,
        IReadOnlyList<string> categories,
        SearchParameter? parent,
        IReadOnlyList<ParameterValue> parentValues)
    {
        Id = id;
        Kind = kind;
        Scale = scale;
        Min = min;
        Max = max;
        DiscreteValues = discreteValues;
        Categories = categories;
        Parent = parent;
        ParentValues = parentValues;
        (_low, _high) = kind == ParameterKind.Integer ? (min - 0.5, max + 0.5) : (min, max);
        _discreteUnits = [.. discreteValues.Select(ToUnitUnrounded)];
    }

    /// <summary>The parameterId, which is also the trial's flag name.</summary>
    public string Id { get; }

    /// <summary>The parameter type.</summary>
    public ParameterKind Kind { get; }

    /// <summary>The scale of a numeric parameter (Linear for categorical ones).</summary>
    public ParameterScale Scale { get; }

    /// <summary>The lowest numeric value (first discrete value); 0 for categorical parameters.</summary>
    public double Min { get; }

    /// <summary>The highest numeric value (last discrete value); 0 for categorical parameters.</summary>
    public double Max { get; }

    /// <summary>The values of a DISCRETE parameter, increasing.</summary>
    public IReadOnlyList<double> DiscreteValues { get; }

    /// <summary>The values of a CATEGORICAL parameter.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The parent of a conditional parameter, or null.</summary>
    public SearchParameter? Parent { get; }

    /// <summary>The parent values for which this conditional parameter is active.</summary>
    public IReadOnlyList<ParameterValue> ParentValues { get; }

    /// <summary>Whether the parameter is numeric (everything but CATEGORICAL).</summary>
    public bool IsNumeric => Kind != ParameterKind.Categorical;

    /// <summary>Whether the parameter has finitely many values (all but DOUBLE): grid search can list them.</summary>
    public bool IsFinite => Kind != ParameterKind.Double;

    /// <summary>Whether the parameter takes part in an assignment holding <paramref name="values"/> so far.</summary>
    public bool IsActiveIn(ParameterAssignment values) =>
        Parent is null || (values.TryGet(Parent.Id, out var parentValue) && ParentValues.Contains(parentValue));

    /// <summary>Whether the parameter takes part given the values chosen so far (parents come first).</summary>
    internal bool IsActiveIn(IReadOnlyList<KeyValuePair<string, ParameterValue>> chosen) =>
        Parent is null || chosen.Any(p => p.Key == Parent.Id && ParentValues.Contains(p.Value));

    /// <summary>A numeric value's position in [0, 1] under the parameter's scale.</summary>
    public double ToUnit(double value) => Math.Clamp(ToUnitUnrounded(value), 0, 1);

    /// <summary>The valid value at position <paramref name="unit"/> of [0, 1]: rounded for INTEGER, the nearest for DISCRETE.</summary>
    public double FromUnit(double unit)
    {
        unit = Math.Clamp(unit, 0, 1);
        switch (Kind)
        {
            case ParameterKind.Discrete:
                var best = 0;
                for (var i = 1; i < _discreteUnits.Length; i++)
                {
                    if (Math.Abs(_discreteUnits[i] - unit) < Math.Abs(_discreteUnits[best] - unit))
                    {
                        best = i;
                    }
                }

                return DiscreteValues[best];
            case ParameterKind.Integer:
                return Math.Clamp(Math.Round(Unwarp(unit), MidpointRounding.AwayFromZero), Min, Max);
            default:
                return Math.Clamp(Unwarp(unit), Min, Max);
        }
    }

    /// <summary>A value drawn as random search draws it: uniform in the scaled range, or uniform among listed values.</summary>
    public ParameterValue Sample(Random random) => Kind switch
    {
        ParameterKind.Categorical => ParameterValue.Of(Categories[random.Next(Categories.Count)]),
        ParameterKind.Discrete => ParameterValue.Of(DiscreteValues[random.Next(DiscreteValues.Count)]),
        _ => ParameterValue.Of(FromUnit(random.NextDouble())),
    };

    /// <summary>Every value, in order, for grid search (INTEGER, DISCRETE, CATEGORICAL).</summary>
    /// <exception cref="InvalidOperationException">The parameter is a DOUBLE.</exception>
    public IEnumerable<ParameterValue> GridValues() => Kind switch
    {
        ParameterKind.Categorical => Categories.Select(ParameterValue.Of),
        ParameterKind.Discrete => DiscreteValues.Select(ParameterValue.Of),
        ParameterKind.Integer => IntegerRange(),
        _ => throw new InvalidOperationException($"The DOUBLE parameter '{Id}' has no grid."),
    };

    private IEnumerable<ParameterValue> IntegerRange()
    {
        for (var v = Min; v <= Max; v++)
        {
            yield return ParameterValue.Of(v);
        }
    }

    private double ToUnitUnrounded(double value)
    {
        var span = Warp(_high) - Warp(_low);
        return span == 0 ? 0.5 : (Warp(value) - Warp(_low)) / span;
    }

    private double Unwarp(double unit)
    {
        var low = Warp(_low);
        var w = low + (unit * (Warp(_high) - low));
        return Scale switch
        {
            ParameterScale.Log => Math.Exp(w),
            ParameterScale.ReverseLog => _high + _low - Math.Exp(-w),
            _ => w,
        };
    }

    // Monotone maps under which the scale is linear. Reverse log mirrors log about the range's centre.
    private double Warp(double x) => Scale switch
    {
        ParameterScale.Log => Math.Log(x),
        ParameterScale.ReverseLog => -Math.Log(_high + _low - x),
        _ => x,
    };
}
