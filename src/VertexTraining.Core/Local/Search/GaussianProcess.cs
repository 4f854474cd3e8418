namespace VertexTraining.Core.Local.Search;

/// <summary>
/// A Gaussian process regression model over the unit cube: Matérn 5/2 kernel with one length scale per input
/// dimension (ARD), signal variance and noise variance, fitted by maximising the marginal likelihood (with weak
/// log-normal priors, so a handful of points cannot produce a degenerate fit). Targets are standardised.
/// </summary>
internal sealed class GaussianProcess
{
    private const double Jitter = 1e-8;
    private static readonly double Sqrt5 = Math.Sqrt(5);

    private readonly double[][] _x;
    private readonly double[] _y;
    private readonly double[] _lengthScales;
    private readonly double _signal;
    private readonly double _noise;
    private readonly double[,] _cholesky;
    private readonly double[] _alpha;

    private GaussianProcess(double[][] x, double[] yStandardised, double[] lengthScales, double signal, double noise, double[,] cholesky)
    {
        _x = x;
        _y = yStandardised;
        _lengthScales = lengthScales;
        _signal = signal;
        _noise = noise;
        _cholesky = cholesky;
        _alpha = SolveCholesky(cholesky, yStandardised);
        Hyperparameters = [.. lengthScales.Select(l => Math.Log(l)), Math.Log(signal), Math.Log(noise)];
    }

    /// <summary>log length scales, then log signal variance, then log noise variance (a warm start for the next fit).</summary>
    public double[] Hyperparameters { get; }

    /// <summary>The fitted noise variance of an observation (in the standardised targets' units).</summary>
    public double NoiseVariance => _noise;

    /// <summary>Fits the model to <paramref name="x"/> (points in [0,1]^d) and standardised <paramref name="y"/>.</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets, standardised (mean 0, variance 1).</param>
    /// <param name="warmStart">The previous fit's <see cref="Hyperparameters"/>, if of the same dimension.</param>
    public static GaussianProcess Fit(double[][] x, double[] y, double[]? warmStart)
    {
        var d = x[0].Length;
        var lower = new double[d + 2];
        var upper = new double[d + 2];
        var prior = new double[d + 2];
        for (var i = 0; i < d; i++)
        {
            (lower[i], upper[i], prior[i]) = (Math.Log(0.02), Math.Log(20), Math.Log(0.5));
        }

        (lower[d], upper[d], prior[d]) = (Math.Log(0.05), Math.Log(20), 0);
        (lower[d + 1], upper[d + 1], prior[d + 1]) = (Math.Log(1e-6), Math.Log(1), Math.Log(1e-3));

        double Objective(double[] theta) => NegativeLogPosterior(x, y, theta, prior);

        var starts = new List<double[]> { prior };
        if (warmStart is { Length: var n } && n == d + 2)
        {
            starts.Add(warmStart);
        }

        var best = starts
            .Select(start => NelderMead.Minimize(Objective, start, lower, upper, step: 0.7, maxEvaluations: 150 + (40 * d)))
            .MinBy(r => r.Value);
        var theta = best.Point;
        var lengthScales = theta[..d].Select(t => Math.Exp(t)).ToArray();
        var (signal, noise) = (Math.Exp(theta[d]), Math.Exp(theta[d + 1]));
        var cholesky = Cholesky(Covariance(x, lengthScales, signal, noise))
            ?? Cholesky(Covariance(x, lengthScales, signal, noise + 1e-4))
            ?? throw new InvalidOperationException("The covariance matrix is not positive definite.");
        return new GaussianProcess(x, y, lengthScales, signal, noise, cholesky);
    }

    /// <summary>The same model conditioned on more points (pending trials at their predicted values), hyperparameters kept.</summary>
    public GaussianProcess WithPoints(double[][] x, double[] y)
    {
        var allX = _x.Concat(x).ToArray();
        var allY = _y.Concat(y).ToArray();
        var cholesky = Cholesky(Covariance(allX, _lengthScales, _signal, _noise))
            ?? Cholesky(Covariance(allX, _lengthScales, _signal, _noise + 1e-4))
            ?? throw new InvalidOperationException("The covariance matrix is not positive definite.");
        return new GaussianProcess(allX, allY, _lengthScales, _signal, _noise, cholesky);
    }

    /// <summary>The posterior mean and standard deviation of the latent function at <paramref name="point"/>.</summary>
    public (double Mean, double StdDev) Predict(double[] point)
    {
        var n = _x.Length;
        var k = new double[n];
        for (var i = 0; i < n; i++)
        {
            k[i] = Kernel(_x[i], point, _lengthScales, _signal);
        }

        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += k[i] * _alpha[i];
        }

        // v = L^-1 k; variance = k(x,x) - v.v
        var v = ForwardSubstitute(_cholesky, k);
        var variance = _signal;
        for (var i = 0; i < n; i++)
        {
            variance -= v[i] * v[i];
        }

        return (mean, Math.Sqrt(Math.Max(variance, 1e-12)));
    }

    private static double NegativeLogPosterior(double[][] x, double[] y, double[] theta, double[] prior)
    {
        var d = x[0].Length;
        var lengthScales = new double[d];
        for (var i = 0; i < d; i++)
        {
            lengthScales[i] = Math.Exp(theta[i]);
        }

        var l = Cholesky(Covariance(x, lengthScales, Math.Exp(theta[d]), Math.Exp(theta[d + 1])));
        if (l is null)
        {
            return double.PositiveInfinity;
        }

        var alpha = SolveCholesky(l, y);
        var n = y.Length;
        var fit = 0.0;
        var logDet = 0.0;
        for (var i = 0; i < n; i++)
        {
            fit += y[i] * alpha[i];
            logDet += Math.Log(l[i, i]);
        }

        // Log-normal priors: length scales and signal with spread 1 (in log units), the noise wider.
        var penalty = 0.0;
        for (var i = 0; i < theta.Length; i++)
        {
            var spread = i == d + 1 ? 3.0 : 1.0;
            var z = (theta[i] - prior[i]) / spread;
            penalty += 0.5 * z * z;
        }

        return (0.5 * fit) + logDet + penalty;
    }

    private static double[,] Covariance(double[][] x, double[] lengthScales, double signal, double noise)
    {
        var n = x.Length;
        var k = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            k[i, i] = signal + noise + Jitter;
            for (var j = 0; j < i; j++)
            {
                k[i, j] = k[j, i] = Kernel(x[i], x[j], lengthScales, signal);
            }
        }

        return k;
    }

    private static double Kernel(double[] a, double[] b, double[] lengthScales, double signal)
    {
        var r2 = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var t = (a[i] - b[i]) / lengthScales[i];
            r2 += t * t;
        }

        var r = Sqrt5 * Math.Sqrt(r2);
        return signal * (1 + r + (r * r / 3)) * Math.Exp(-r);
    }

    private static double[,]? Cholesky(double[,] a)
    {
        var n = a.GetLength(0);
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    if (sum <= 0 || double.IsNaN(sum))
                    {
                        return null;
                    }

                    l[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i, j] = sum / l[j, j];
                }
            }
        }

        return l;
    }

    private static double[] ForwardSubstitute(double[,] l, double[] b)
    {
        var n = b.Length;
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }

            y[i] = sum / l[i, i];
        }

        return y;
    }

    private static double[] SolveCholesky(double[,] l, double[] b)
    {
        var n = b.Length;
        var y = ForwardSubstitute(l, b);
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }
}
