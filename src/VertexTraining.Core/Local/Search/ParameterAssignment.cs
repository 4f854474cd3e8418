namespace VertexTraining.Core.Local.Search;

/// <summary>The values of one trial, by parameterId, in the study's parameter order. Inactive conditional parameters are absent.</summary>
public sealed class ParameterAssignment
{
    private readonly List<KeyValuePair<string, ParameterValue>> _values;

    /// <summary>Creates an assignment from (parameterId, value) pairs, kept in the given order.</summary>
    public ParameterAssignment(IEnumerable<KeyValuePair<string, ParameterValue>> values)
    {
        _values = [.. values];
    }

    /// <summary>The values in order.</summary>
    public IReadOnlyList<KeyValuePair<string, ParameterValue>> Values => _values;

    /// <summary>The value of a parameter, if it is active in this assignment.</summary>
    public bool TryGet(string parameterId, out ParameterValue value)
    {
        foreach (var pair in _values)
        {
            if (pair.Key == parameterId)
            {
                value = pair.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The trial's extra arguments: <c>--parameterId=value</c>, in order.</summary>
    public IReadOnlyList<string> ToArguments() => [.. _values.Select(p => $"--{p.Key}={p.Value}")];

    /// <summary>Whether both assign the same values to the same parameters.</summary>
    public bool SameAs(ParameterAssignment other) =>
        _values.Count == other._values.Count && _values.All(p => other.TryGet(p.Key, out var v) && v == p.Value);

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _values.Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>A finished trial as the search algorithms see it.</summary>
/// <param name="Parameters">What the trial ran with.</param>
/// <param name="Value">Its final metric value, or null when it failed or reported nothing (infeasible).</param>
public sealed record Observation(ParameterAssignment Parameters, double? Value);
