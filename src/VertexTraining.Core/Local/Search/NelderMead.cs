namespace VertexTraining.Core.Local.Search;

/// <summary>
/// Derivative-free minimisation inside a box (Nelder and Mead's simplex method, points clamped to the box). The GP's
/// marginal likelihood has only a handful of hyperparameters, where this is robust and cheap enough.
/// </summary>
internal static class NelderMead
{
    public static (double[] Point, double Value) Minimize(
        Func<double[], double> f, double[] start, double[] lower, double[] upper, double step, int maxEvaluations)
    {
        var n = start.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        var evaluations = 0;

        double Eval(double[] x)
        {
            evaluations++;
            var v = f(x);
            return double.IsNaN(v) ? double.PositiveInfinity : v;
        }

        double[] Clamp(double[] x)
        {
            for (var i = 0; i < n; i++)
            {
                x[i] = Math.Clamp(x[i], lower[i], upper[i]);
            }

            return x;
        }

        simplex[0] = Clamp((double[])start.Clone());
        values[0] = Eval(simplex[0]);
        for (var i = 0; i < n; i++)
        {
            var vertex = (double[])simplex[0].Clone();
            // Step inwards when the start sits on the upper bound.
            vertex[i] += vertex[i] + step <= upper[i] ? step : -step;
            simplex[i + 1] = Clamp(vertex);
            values[i + 1] = Eval(simplex[i + 1]);
        }

        while (evaluations < maxEvaluations)
        {
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
            simplex = [.. order.Select(i => simplex[i])];
            values = [.. order.Select(i => values[i])];
            if (Math.Abs(values[n] - values[0]) < 1e-9 * (1 + Math.Abs(values[0])))
            {
                break;
            }

            var centroid = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    centroid[j] += simplex[i][j] / n;
                }
            }

            double[] Towards(double t) => Clamp([.. centroid.Select((c, j) => c + (t * (simplex[n][j] - c)))]);

            var reflected = Towards(-1);
            var reflectedValue = Eval(reflected);
            if (reflectedValue < values[0])
            {
                var expanded = Towards(-2);
                var expandedValue = Eval(expanded);
                (simplex[n], values[n]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
            }
            else if (reflectedValue < values[n - 1])
            {
                (simplex[n], values[n]) = (reflected, reflectedValue);
            }
            else
            {
                var contracted = reflectedValue < values[n] ? Towards(-0.5) : Towards(0.5);
                var contractedValue = Eval(contracted);
                if (contractedValue < Math.Min(reflectedValue, values[n]))
                {
                    (simplex[n], values[n]) = (contracted, contractedValue);
                }
                else
                {
                    for (var i = 1; i <= n; i++)
                    {
                        simplex[i] = Clamp([.. simplex[i].Select((x, j) => simplex[0][j] + (0.5 * (x - simplex[0][j])))]);
                        values[i] = Eval(simplex[i]);
                    }
                }
            }
        }

        var best = Array.IndexOf(values, values.Min());
        return (simplex[best], values[best]);
    }
}
