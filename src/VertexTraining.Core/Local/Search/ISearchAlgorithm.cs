namespace VertexTraining.Core.Local.Search;

/// <summary>Chooses the parameters of the next trial.</summary>
public interface ISearchAlgorithm
{
    /// <summary>The algorithm's name as the study spells it (GRID_SEARCH, RANDOM_SEARCH, ALGORITHM_UNSPECIFIED).</summary>
    string Name { get; }

    /// <summary>
    /// Proposes the next trial's parameters, knowing the finished trials and those still running (whose results are
    /// not known yet); null when the algorithm has nothing left to propose (an exhausted grid).
    /// </summary>
    ParameterAssignment? Suggest(IReadOnlyList<Observation> finished, IReadOnlyList<ParameterAssignment> running);
}

/// <summary>Whether larger or smaller metric values are better.</summary>
public enum MetricGoal
{
    /// <summary>MAXIMIZE (also GOAL_TYPE_UNSPECIFIED).</summary>
    Maximize,

    /// <summary>MINIMIZE.</summary>
    Minimize,
}

/// <summary>Creates the algorithm a StudySpec names.</summary>
public static class SearchAlgorithms
{
    /// <summary>
    /// What users call an algorithm (VertexSearchAlgorithm's Default, Grid, Random), not the API enum:
    /// ALGORITHM_UNSPECIFIED reads like a mistake when it is the default Gaussian-process search.
    /// </summary>
    public static string Describe(string? algorithm) => algorithm switch
    {
        "GRID_SEARCH" => "Grid search",
        "RANDOM_SEARCH" => "Random search",
        _ => "Default search (Gaussian-process Bayesian optimisation)",
    };

    /// <summary>The study's algorithm: GRID_SEARCH, RANDOM_SEARCH, or the default model-based search for anything else.</summary>
    /// <param name="algorithm">StudySpec.algorithm; null or ALGORITHM_UNSPECIFIED means the default.</param>
    /// <param name="space">The parameters.</param>
    /// <param name="goal">The metric's goal.</param>
    /// <param name="maxTrialCount">The trial budget, which sizes the default search's initial design.</param>
    /// <param name="seed">Seeds every random choice, so a run can be repeated.</param>
    /// <exception cref="LocalRunException">Grid search over a DOUBLE parameter.</exception>
    public static ISearchAlgorithm Create(string? algorithm, SearchSpace space, MetricGoal goal, int maxTrialCount, int seed) => algorithm switch
    {
        "GRID_SEARCH" => new GridSearch(space),
        "RANDOM_SEARCH" => new RandomSearch(space, seed),
        _ => new GaussianProcessSearch(space, goal, maxTrialCount, seed),
    };
}
