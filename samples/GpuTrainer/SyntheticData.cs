namespace GpuTrainer;

/// <summary>
/// A binary task that a linear model solves only in part: the label says whether a small random "teacher"
/// network (8 ReLU units over the input) scores above its median. The student MLP has to find the teacher's
/// directions among <see cref="Width"/> dimensions, so accuracy keeps rising with training.
/// </summary>
internal sealed class SyntheticData
{
    private const int TeacherUnits = 8;

    private SyntheticData(float[] features, float[] labels, int width)
    {
        Features = features;
        Labels = labels;
        Width = width;
    }

    /// <summary>Row-major samples × <see cref="Width"/>.</summary>
    public float[] Features { get; }

    /// <summary>0 or 1 per sample.</summary>
    public float[] Labels { get; }

    public int Width { get; }

    public int Count => Labels.Length;

    /// <summary>
    /// Draws <paramref name="count"/> standard-normal samples and labels them with the teacher. Both sets of a run
    /// come from one call, split afterwards, so they share the teacher and its median.
    /// </summary>
    public static SyntheticData Generate(int count, int width, int seed)
    {
        var random = new Random(seed);
        var teacher = new float[TeacherUnits * width];
        for (var i = 0; i < teacher.Length; i++)
        {
            teacher[i] = Gaussian(random) / MathF.Sqrt(width);
        }

        var features = new float[count * width];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = Gaussian(random);
        }

        var scores = new float[count];
        for (var s = 0; s < count; s++)
        {
            var score = 0f;
            for (var u = 0; u < TeacherUnits; u++)
            {
                var activation = 0f;
                for (var k = 0; k < width; k++)
                {
                    activation += teacher[u * width + k] * features[s * width + k];
                }

                // Alternating signs give the teacher a non-monotone, non-linear decision boundary.
                score += (u % 2 == 0 ? 1f : -0.7f) * MathF.Max(activation, 0f);
            }

            scores[s] = score;
        }

        var median = scores.Order().ElementAt(count / 2);
        var labels = scores.Select(score => score > median ? 1f : 0f).ToArray();
        return new SyntheticData(features, labels, width);
    }

    /// <summary>The first <paramref name="firstCount"/> samples, and the rest.</summary>
    public (SyntheticData First, SyntheticData Second) Split(int firstCount) =>
        (new SyntheticData(Features[..(firstCount * Width)], Labels[..firstCount], Width),
         new SyntheticData(Features[(firstCount * Width)..], Labels[firstCount..], Width));

    internal static float Gaussian(Random random)
    {
        // Box-Muller: two uniforms give one standard normal (1 - u keeps the logarithm finite).
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
