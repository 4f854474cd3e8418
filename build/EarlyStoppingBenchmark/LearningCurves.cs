using VertexTraining.Core.Local.Search;

/// <summary>
/// Synthetic training runs, an accuracy that rises from 0.1 towards a final level set by the parameters:
/// <c>acc(step) = A - (A - 0.1) * exp(-step / tau) + noise</c>. The level A comes from the Branin function over
/// (x1, x2) (its minima give A = 0.95, its worst corner about 0.5); the learning rate lr sets the speed, tau from 2
/// (lr = 1) to 8 steps (lr = 0); with a fast-learner penalty (0.04 by default) fast learners plateau that much lower,
/// so curves cross and an early lead is not always a final one.
/// </summary>
internal sealed class LearningCurves(double noise, double fastPenalty)
{
    private const double BraninMinimum = 0.397887357729739;
    private const double BraninMaximum = 308.13;

    /// <summary>The best final level any parameters reach (a Branin minimum with lr = 0).</summary>
    public const double BestFinal = 0.95;

    public static SearchSpace Space() => SearchSpace.Of(
    [
        SearchSpace.Double("x1", -5, 10),
        SearchSpace.Double("x2", 0, 15),
        SearchSpace.Double("lr", 0, 1),
    ]);

    /// <summary>The noise-free value at <paramref name="step"/>.</summary>
    public double Expected(ParameterAssignment p, int step)
    {
        var level = Level(p);
        var tau = 2 + (6 * (1 - Get(p, "lr")));
        return level - ((level - 0.1) * Math.Exp(-step / tau));
    }

    /// <summary>The final level A of these parameters, where their curve tends.</summary>
    public double Level(ParameterAssignment p, (double X1, double X2) shift = default)
    {
        var (x1, x2, lr) = (Get(p, "x1") - shift.X1, Get(p, "x2") - shift.X2, Get(p, "lr"));
        var branin = Branin(x1, x2);
        var level = 0.95 - (0.45 * Math.Log(1 + branin - BraninMinimum) / Math.Log(1 + BraninMaximum - BraninMinimum));
        return level - (fastPenalty * lr);
    }

    /// <summary>One noisy report at <paramref name="step"/>.</summary>
    public double At(ParameterAssignment p, int step, Random random) => Expected(p, step) + (noise * Gaussian(random));

    private static double Get(ParameterAssignment p, string id) =>
        p.TryGet(id, out var value) ? value.Number : throw new InvalidOperationException($"{id} missing");

    private static double Branin(double x1, double x2)
    {
        const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, r = 6, s = 10, t = 1 / (8 * Math.PI);
        var u = x2 - (b * x1 * x1) + (c * x1) - r;
        return (u * u) + (s * (1 - t) * Math.Cos(x1)) + s;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
