namespace VertexTraining.Core.Local.Search;

/// <summary>The standard normal density and distribution function, for expected improvement.</summary>
internal static class NormalDistribution
{
    private static readonly double InvSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);

    public static double Pdf(double z) => InvSqrt2Pi * Math.Exp(-0.5 * z * z);

    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    // Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
    // (Press et al., Numerical Recipes, erfcc), evaluated by Horner's rule.
    private static readonly double[] ErfcCoefficients =
        [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var polynomial = 0.0;
        for (var i = ErfcCoefficients.Length - 1; i >= 0; i--)
        {
            polynomial = ErfcCoefficients[i] + (t * polynomial);
        }

        var r = t * Math.Exp(-(z * z) + polynomial);
        return x >= 0 ? r : 2 - r;
    }
}
