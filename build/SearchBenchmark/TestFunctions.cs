using VertexTraining.Core.Local.Search;

namespace SearchBenchmark;

/// <summary>A function to minimise over a box, with its known minimum.</summary>
internal sealed record TestFunction(string Name, double Minimum, (double Min, double Max)[] Bounds, Func<double[], double> Evaluate)
{
    /// <summary>Every variable as a DOUBLE parameter x1..xn (for Random and Default).</summary>
    public SearchSpace ContinuousSpace() =>
        SearchSpace.Of([.. Bounds.Select((b, i) => SearchSpace.Double($"x{i + 1}", b.Min, b.Max))]);

    /// <summary>
    /// Every variable as a DISCRETE parameter with <paramref name="points"/> evenly spaced values, ends included:
    /// what a user would declare for grid search, which cannot enumerate DOUBLE parameters.
    /// </summary>
    public SearchSpace GridSpace(int points) =>
        SearchSpace.Of([.. Bounds.Select((b, i) => SearchSpace.Discrete($"x{i + 1}", [.. Enumerable.Range(0, points).Select(k => b.Min + ((b.Max - b.Min) * k / (points - 1)))]))]);

    public double At(ParameterAssignment assignment) =>
        Evaluate([.. Bounds.Select((_, i) => assignment.TryGet($"x{i + 1}", out var v) ? v.Number : throw new InvalidOperationException($"x{i + 1} missing"))]);

    /// <summary>Branin-Hoo on [-5, 10] x [0, 15]; three global minima of 0.397887.</summary>
    public static TestFunction Branin { get; } = new("Branin", 0.397887357729739, [(-5, 10), (0, 15)], x =>
    {
        const double a = 1, b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, r = 6, s = 10, t = 1 / (8 * Math.PI);
        var u = x[1] - (b * x[0] * x[0]) + (c * x[0]) - r;
        return (a * u * u) + (s * (1 - t) * Math.Cos(x[0])) + s;
    });

    /// <summary>Hartmann 6-D on [0, 1]^6; global minimum -3.32237.</summary>
    public static TestFunction Hartmann6 { get; } = new("Hartmann-6", -3.32236801141551, [.. Enumerable.Repeat((0.0, 1.0), 6)], x =>
    {
        double[] alpha = [1.0, 1.2, 3.0, 3.2];
        double[,] a =
        {
            { 10, 3, 17, 3.5, 1.7, 8 },
            { 0.05, 10, 17, 0.1, 8, 14 },
            { 3, 3.5, 1.7, 10, 17, 8 },
            { 17, 8, 0.05, 10, 0.1, 14 },
        };
        double[,] p =
        {
            { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
            { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
            { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
            { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
        };
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                inner += a[i, j] * (x[j] - p[i, j]) * (x[j] - p[i, j]);
            }

            sum += alpha[i] * Math.Exp(-inner);
        }

        return -sum;
    });
}
