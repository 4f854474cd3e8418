// A training app for Vertex AI, shaped the way VertexTraining recommends:
//  - hyperparameters come from the command line (Vertex passes each trial's values as --name=value);
//  - the metric the study optimises is reported with HyperTune.Report (cloudml-hypertune compatible);
//  - the model is checkpointed every epoch and training resumes from the latest checkpoint, so a Spot
//    preemption or a worker restart costs one epoch, not the whole run;
//  - SIGTERM (preemption, maintenance, cancel) stops the loop after a checkpoint instead of killing it.
// The model is a logistic regression on synthetic data, in plain C#: replace it with yours
// (TorchSharp, ML.NET, ...) and keep the shape around it.
using System.Globalization;
using VertexTraining.Runtime;

var hp = Hyperparameters.FromArgs(args);
var learningRate = hp.Get("learning_rate", 0.1);
var epochs = hp.Get("epochs", 20);
var samples = hp.Get("samples", 2000);

var env = TrainingEnvironment.Current;
env.EnsureGpus(); // fails fast when the job asked for GPUs that this machine does not show
var stop = env.StopRequested;
Console.WriteLine(FormattableString.Invariant($"trial={env.TrialId ?? "-"} task={env.TaskType}-{env.TaskIndex} learning_rate={learningRate} epochs={epochs}"));

var (train, validation) = SyntheticData.Generate(samples, seed: 42);
var model = new LogisticRegression();
var configuration = FormattableString.Invariant($"learning_rate={learningRate:R} samples={samples}");
var checkpoints = env.Checkpoints; // under AIP_CHECKPOINT_DIR, one folder per trial; ./checkpoints outside Vertex
var firstEpoch = 1;
if (checkpoints.TryLoadLatest() is Checkpoint last)
{
    // A checkpoint written with other hyperparameters is not this run's state.
    if (File.ReadAllText(Path.Combine(last.Directory, "configuration.txt")) != configuration)
    {
        Console.Error.WriteLine($"The checkpoint in {last.Directory} belongs to another configuration; remove {checkpoints.Directory} to start over.");
        return 1;
    }

    model = LogisticRegression.Load(Path.Combine(last.Directory, "model.txt"));
    firstEpoch = (int)last.Step + 1;
    Console.WriteLine($"resumed after epoch {last.Step}");
}

var accuracy = model.Accuracy(validation);
for (var epoch = firstEpoch; epoch <= epochs; epoch++)
{
    var loss = model.TrainEpoch(train, learningRate);
    accuracy = model.Accuracy(validation);
    // The study reads the last (or best, VertexMeasurementSelection) report of the metric it declares.
    HyperTune.Report("accuracy", accuracy, step: epoch);
    Console.WriteLine(FormattableString.Invariant($"epoch {epoch,3}  loss {loss:F4}  accuracy {accuracy:F4}"));

    checkpoints.Save(epoch, directory =>
    {
        model.Save(Path.Combine(directory, "model.txt"));
        File.WriteAllText(Path.Combine(directory, "configuration.txt"), configuration);
    });

    if (stop.IsCancellationRequested && epoch < epochs)
    {
        Console.WriteLine($"stop requested: epoch {epoch} is checkpointed; exiting to be resumed");
        return TrainingEnvironment.StoppedExitCode;
    }
}

if (env.ModelDirLocalPath is { } modelDir) // AIP_MODEL_DIR, when the job has VertexBaseOutputDirectory
{
    Directory.CreateDirectory(modelDir);
    model.Save(Path.Combine(modelDir, "model.txt"));
    Console.WriteLine($"model written to {modelDir}");
}

Console.WriteLine(FormattableString.Invariant($"final accuracy {accuracy:F4}"));
return 0;

/// <summary>Two overlapping Gaussian clouds in the plane, labelled 0 and 1; the same for every seed.</summary>
internal static class SyntheticData
{
    public static (List<(double X, double Y, int Label)> Train, List<(double X, double Y, int Label)> Validation) Generate(int count, int seed)
    {
        var random = new Random(seed);
        var points = new List<(double, double, int)>(count);
        for (var i = 0; i < count; i++)
        {
            var label = i % 2;
            var centre = label == 0 ? -1.0 : 1.0;
            points.Add((centre + Gaussian(random), centre + Gaussian(random), label));
        }

        var split = count * 3 / 4;
        return (points.GetRange(0, split), points.GetRange(split, count - split));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>p(label = 1) = sigmoid(w1·x + w2·y + b), trained by full passes of stochastic gradient descent.</summary>
internal sealed class LogisticRegression
{
    private double _w1;
    private double _w2;
    private double _b;

    public double TrainEpoch(IReadOnlyList<(double X, double Y, int Label)> data, double learningRate)
    {
        var loss = 0.0;
        foreach (var (x, y, label) in data)
        {
            var p = Predict(x, y);
            loss -= label == 1 ? Math.Log(p + 1e-12) : Math.Log(1 - p + 1e-12);
            var gradient = p - label;
            _w1 -= learningRate * gradient * x;
            _w2 -= learningRate * gradient * y;
            _b -= learningRate * gradient;
        }

        return loss / data.Count;
    }

    public double Accuracy(IReadOnlyList<(double X, double Y, int Label)> data) =>
        data.Count(point => (Predict(point.X, point.Y) >= 0.5 ? 1 : 0) == point.Label) / (double)data.Count;

    public void Save(string path) =>
        File.WriteAllText(path, string.Join(' ', new[] { _w1, _w2, _b }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

    public static LogisticRegression Load(string path)
    {
        var values = File.ReadAllText(path).Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new LogisticRegression { _w1 = values[0], _w2 = values[1], _b = values[2] };
    }

    private double Predict(double x, double y) => 1 / (1 + Math.Exp(-(_w1 * x + _w2 * y + _b)));
}
