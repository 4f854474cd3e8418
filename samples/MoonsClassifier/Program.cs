// A small neural network that learns the "two moons" data set, in plain C#.
// It takes its hyperparameters from the command line (as Vertex passes them to each trial),
// reports validation accuracy the way cloudml-hypertune does, and saves its weights to
// AIP_MODEL_DIR when the job has an output directory.
using System.Globalization;
using VertexTraining.Runtime;
using MoonsClassifier;

var hp = Hyperparameters.FromArgs(args);
var learningRate = hp.Get("learning_rate", 0.1);
var hiddenUnits = hp.Get("hidden_units", 8);
var epochs = hp.Get("epochs", 20);
var samples = hp.Get("samples", 600);
var seed = hp.Get("seed", 7);

var env = TrainingEnvironment.Current;
env.EnsureGpus(); // fails fast when GPUs were requested but none are visible
Console.WriteLine($"trial={env.TrialId ?? "-"} task={env.TaskType}-{env.TaskIndex} learning_rate={learningRate.ToString(CultureInfo.InvariantCulture)} hidden_units={hiddenUnits} epochs={epochs}");

var (train, validation) = TwoMoons.Generate(samples, noise: 0.2, seed: 1234).Split(0.75);
var network = new TinyNetwork(inputs: 2, hidden: hiddenUnits, seed: seed);
var accuracy = 0.0;
for (var epoch = 1; epoch <= epochs; epoch++)
{
    var loss = network.TrainEpoch(train, learningRate, batchSize: 16, seed + epoch);
    accuracy = network.Accuracy(validation);
    HyperTune.Report("accuracy", accuracy, step: epoch);
    if (epoch == 1 || epoch % 5 == 0 || epoch == epochs)
    {
        Console.WriteLine($"epoch {epoch,3}  loss {loss:F4}  accuracy {accuracy:F4}");
    }
}

if (env.ModelDirLocalPath is { } modelDir)
{
    Directory.CreateDirectory(modelDir);
    File.WriteAllText(Path.Combine(modelDir, "weights.txt"), network.Describe());
    Console.WriteLine($"model written to {modelDir}");
}

Console.WriteLine($"final accuracy {accuracy:F4}");
