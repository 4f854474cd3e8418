namespace VertexTraining.Core.Local.Search;

/// <summary>
/// RANDOM_SEARCH: each trial drawn independently, uniformly in each parameter's scaled range (log-uniform for log
/// scales) or among its listed values. In a finite space, values already tried are drawn again only when a fresh
/// one is hard to find.
/// </summary>
public sealed class RandomSearch : ISearchAlgorithm
{
    private const int FreshDraws = 50;

    private readonly SearchSpace _space;
    private readonly Random _random;
    private readonly List<ParameterAssignment> _suggested = [];

    /// <param name="space">The parameters.</param>
    /// <param name="seed">Seeds the draws, so a run can be repeated.</param>
    public RandomSearch(SearchSpace space, int seed)
    {
        _space = space;
        _random = new Random(seed);
    }

    /// <inheritdoc />
    public string Name => "RANDOM_SEARCH";

    /// <inheritdoc />
    public ParameterAssignment? Suggest(IReadOnlyList<Observation> finished, IReadOnlyList<ParameterAssignment> running)
    {
        var draw = _space.Sample(_random);
        for (var i = 0; i < FreshDraws && _space.IsFinite && _suggested.Any(draw.SameAs); i++)
        {
            draw = _space.Sample(_random);
        }

        _suggested.Add(draw);
        return draw;
    }
}
