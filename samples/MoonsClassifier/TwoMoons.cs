namespace MoonsClassifier;

/// <summary>Labelled 2-D points; two interleaving half circles that no straight line separates.</summary>
internal sealed record DataSet(double[][] X, int[] Y)
{
    public int Count => Y.Length;

    public (DataSet Train, DataSet Validation) Split(double trainFraction)
    {
        var n = (int)(Count * trainFraction);
        return (new DataSet(X[..n], Y[..n]), new DataSet(X[n..], Y[n..]));
    }
}

internal static class TwoMoons
{
    public static DataSet Generate(int count, double noise, int seed)
    {
        var random = new Random(seed);
        var x = new double[count][];
        var y = new int[count];
        for (var i = 0; i < count; i++)
        {
            var upper = i % 2 == 0;
            var t = random.NextDouble() * Math.PI;
            var (px, py) = upper ? (Math.Cos(t), Math.Sin(t)) : (1 - Math.Cos(t), 0.5 - Math.Sin(t));
            x[i] = [px + Gaussian(random) * noise, py + Gaussian(random) * noise];
            y[i] = upper ? 0 : 1;
        }

        return new DataSet(x, y);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
