// A small neural network that learns the "two moons" data set, in plain C#.
// It takes its hyperparameters from the command line (as Vertex passes them to each trial),
// reports validation accuracy the way cloudml-hypertune does, checkpoints every epoch to
// AIP_CHECKPOINT_DIR and resumes from the latest checkpoint when restarted (Spot preemption,
// VM maintenance), and saves its weights to AIP_MODEL_DIR when the job has an output directory.
// A resumed run ends with the same model, byte for byte, as one that was never interrupted.
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
var stop = env.StopRequested; // from here on SIGTERM (preemption) lets the loop save and exit instead of dying
Console.WriteLine($"trial={env.TrialId ?? "-"} task={env.TaskType}-{env.TaskIndex} learning_rate={learningRate.ToString(CultureInfo.InvariantCulture)} hidden_units={hiddenUnits} epochs={epochs}");

var (train, validation) = TwoMoons.Generate(samples, noise: 0.2, seed: 1234).Split(0.75);
var network = new TinyNetwork(inputs: 2, hidden: hiddenUnits, seed: seed);
var configuration = FormattableString.Invariant($"learning_rate={learningRate:R} hidden_units={hiddenUnits} samples={samples} seed={seed}");
var checkpoints = env.Checkpoints;
var firstEpoch = 1;
var accuracy = 0.0;
if (checkpoints.TryLoadLatest() is Checkpoint last)
{
    var saved = File.ReadAllText(Path.Combine(last.Directory, "configuration.txt"));
    if (saved != configuration)
    {
        Console.Error.WriteLine($"The checkpoint in {last.Directory} was written by another configuration ({saved}); this run is {configuration}. Remove {checkpoints.Directory} or set AIP_CHECKPOINT_DIR to another folder.");
        return 1;
    }

    network.Load(Path.Combine(last.Directory, "network.bin"));
    accuracy = network.Accuracy(validation);
    firstEpoch = (int)last.Step + 1;
    Console.WriteLine($"resumed after epoch {last.Step} from {last.Directory}");
}

for (var epoch = firstEpoch; epoch <= epochs; epoch++)
{
    // Each epoch's shuffle is seeded by the epoch number, so the weights are the whole state to carry over.
    var loss = network.TrainEpoch(train, learningRate, batchSize: 16, seed + epoch);
    accuracy = network.Accuracy(validation);
    HyperTune.Report("accuracy", accuracy, step: epoch);   // also a TensorBoard curve
    TensorBoardLog.Scalar("loss", loss, epoch);              // under AIP_TENSORBOARD_LOG_DIR (per trial)
    if (epoch == 1 || epoch % 5 == 0 || epoch == epochs)
    {
        Console.WriteLine($"epoch {epoch,3}  loss {loss:F4}  accuracy {accuracy:F4}");
    }

    checkpoints.Save(epoch, directory =>
    {
        network.Save(Path.Combine(directory, "network.bin"));
        File.WriteAllText(Path.Combine(directory, "configuration.txt"), configuration);
    });

    if (stop.IsCancellationRequested && epoch < epochs)
    {
        Console.WriteLine($"stop requested: epoch {epoch} is checkpointed, {env.StopGracePeriodRemaining.TotalSeconds:F0} s of the grace period left; exiting to be resumed");
        return TrainingEnvironment.StoppedExitCode; // 143: a stopped run, not a finished one
    }
}

Console.WriteLine($"epochs run by this process: {(firstEpoch > epochs ? "none" : $"{firstEpoch}-{epochs}")}");
if (env.ModelDirLocalPath is { } modelDir)
{
    Directory.CreateDirectory(modelDir);
    network.Save(Path.Combine(modelDir, "network.bin"));
    File.WriteAllText(Path.Combine(modelDir, "weights.txt"), network.Describe());
    Console.WriteLine($"model written to {modelDir}");
}

Console.WriteLine($"final accuracy {accuracy:F4}");
return 0;
