using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local.Search;

/// <summary>
/// GRID_SEARCH: every combination of values, in order, the last parameter changing fastest; a conditional
/// parameter is varied only where its parent makes it active. Ends when the grid is exhausted.
/// </summary>
public sealed class GridSearch : ISearchAlgorithm
{
    private readonly IEnumerator<ParameterAssignment> _grid;

    /// <exception cref="LocalRunException">A parameter is a DOUBLE, which has no grid.</exception>
    public GridSearch(SearchSpace space)
    {
        if (space.Parameters.FirstOrDefault(p => !p.IsFinite) is { } continuous)
        {
            throw new LocalRunException(DiagnosticCodes.GridNeedsFiniteParameters,
                $"Grid search needs INTEGER, DISCRETE or CATEGORICAL parameters, and '{continuous.Id}' is a DOUBLE; use discrete values or another algorithm.",
                isConfigurationError: true);
        }

        Space = space;
        _grid = Enumerate(0, []).GetEnumerator();
    }

    /// <summary>The parameters.</summary>
    public SearchSpace Space { get; }

    /// <inheritdoc />
    public string Name => "GRID_SEARCH";

    /// <summary>The number of points in the grid.</summary>
    public long Count() => Enumerate(0, []).LongCount();

    /// <inheritdoc />
    public ParameterAssignment? Suggest(IReadOnlyList<Observation> finished, IReadOnlyList<ParameterAssignment> running)
    {
        // A continued study has tried some points already: they are not run twice.
        while (_grid.MoveNext())
        {
            var next = _grid.Current;
            if (!finished.Any(o => o.Parameters.SameAs(next)) && !running.Any(r => r.SameAs(next)))
            {
                return next;
            }
        }

        return null;
    }

    private IEnumerable<ParameterAssignment> Enumerate(int index, List<KeyValuePair<string, ParameterValue>> chosen)
    {
        if (index == Space.Parameters.Count)
        {
            yield return new ParameterAssignment(chosen);
            yield break;
        }

        var parameter = Space.Parameters[index];
        if (!parameter.IsActiveIn(chosen))
        {
            foreach (var assignment in Enumerate(index + 1, chosen))
            {
                yield return assignment;
            }

            yield break;
        }

        foreach (var value in parameter.GridValues())
        {
            chosen.Add(new(parameter.Id, value));
            foreach (var assignment in Enumerate(index + 1, chosen))
            {
                yield return assignment;
            }

            chosen.RemoveAt(chosen.Count - 1);
        }
    }
}
