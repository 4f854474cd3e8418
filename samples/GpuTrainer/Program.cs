// A one-hidden-layer network trained with SGD on the GPU from .NET, through ILGPU: the matrix work runs in
// kernels that ILGPU compiles to PTX and launches through the NVIDIA driver alone (no CUDA toolkit, no cuDNN),
// or on ILGPU's CPU accelerator when no GPU is visible. It takes its hyperparameters from the command line
// (as Vertex passes them to each trial), reports validation accuracy the way cloudml-hypertune does,
// checkpoints to AIP_CHECKPOINT_DIR and resumes from there, and prints its throughput as "steps/s: N"
// (build/gpu-check.sh compares the GPU's figure with the CPU's).
using System.Diagnostics;
using System.Globalization;
using GpuTrainer;
using VertexTraining.Runtime;

var hp = Hyperparameters.FromArgs(args);
var device = hp.Get("device", "auto")!;
var steps = hp.Get("steps", 600);
var learningRate = hp.Get("learning_rate", 0.03);
var hiddenUnits = hp.Get("hidden_units", 512);
var features = hp.Get("features", 256);
var batchSize = hp.Get("batch_size", 1024);
var trainBatches = hp.Get("train_batches", 16);
var validationBatches = hp.Get("validation_batches", 4);
var evaluateEvery = hp.Get("evaluate_every", 100);
var seed = hp.Get("seed", 7);
if (!Devices.Names.Contains(device))
{
    Console.Error.WriteLine($"--device={device} is not one of {string.Join(", ", Devices.Names)}.");
    return 2;
}

var env = TrainingEnvironment.Current;
env.EnsureGpus(); // the job asked for GPUs (VERTEX_ACCELERATOR_COUNT > 0): fail now if the driver does not show them
if (env.AcceleratorCount > 0)
{
    device = "gpu"; // and train on them, rather than quietly on the CPU
}

var stop = env.StopRequested;
using var context = Devices.CreateContext();
if (Devices.Unavailable(context, device) is { } why)
{
    Console.Error.WriteLine(why);
    return 1;
}

using var accelerator = Devices.Create(context, device);
Console.WriteLine($"trial={env.TrialId ?? "-"} device={accelerator.AcceleratorType} ({accelerator.Name}) learning_rate={learningRate.ToString(CultureInfo.InvariantCulture)} hidden_units={hiddenUnits} features={features} batch_size={batchSize} steps={steps}");

var (train, validation) = SyntheticData.Generate((trainBatches + validationBatches) * batchSize, features, seed: 1234).Split(trainBatches * batchSize);
using var model = new Mlp(accelerator, train, validation, batchSize, hiddenUnits, seed);
var configuration = FormattableString.Invariant($"learning_rate={learningRate:R} hidden_units={hiddenUnits} features={features} batch_size={batchSize} train_batches={trainBatches} seed={seed}");
var checkpoints = env.Checkpoints;
var firstStep = 1L;
var accuracy = double.NaN;
if (checkpoints.TryLoadLatest() is Checkpoint last)
{
    var saved = File.ReadAllText(Path.Combine(last.Directory, "configuration.txt"));
    if (saved != configuration)
    {
        Console.Error.WriteLine($"The checkpoint in {last.Directory} was written by another configuration ({saved}); this run is {configuration}. Remove {checkpoints.Directory} or set AIP_CHECKPOINT_DIR to another folder.");
        return 1;
    }

    model.Load(Path.Combine(last.Directory, "weights.bin"));
    firstStep = last.Step + 1;
    accuracy = model.Accuracy();
    Console.WriteLine($"resumed after step {last.Step} from {last.Directory}");
}

// The first step compiles the kernels (ILGPU → PTX → the driver's JIT), so the rate counts the training steps
// after it, and only them: evaluations and checkpoints are left out, so runs of any length compare.
var trainingTime = new Stopwatch();
var compileAndFirstStep = TimeSpan.Zero;
for (var step = firstStep; step <= steps; step++)
{
    var isFirstStep = step == firstStep;
    var clock = isFirstStep ? Stopwatch.StartNew() : trainingTime;
    clock.Start();
    var loss = model.TrainStep(step - 1, (float)learningRate);
    clock.Stop();
    if (isFirstStep)
    {
        compileAndFirstStep = clock.Elapsed;
    }

    var isLastStep = step == steps;
    if (step % evaluateEvery == 0 || isLastStep || stop.IsCancellationRequested)
    {
        accuracy = model.Accuracy();
        HyperTune.Report("accuracy", accuracy, step: step);
        Console.WriteLine(FormattableString.Invariant($"step {step,5}  loss {loss:F4}  accuracy {accuracy:F4}"));
        checkpoints.Save(step, directory =>
        {
            model.Save(Path.Combine(directory, "weights.bin"));
            File.WriteAllText(Path.Combine(directory, "configuration.txt"), configuration);
        });
    }

    if (stop.IsCancellationRequested && !isLastStep)
    {
        Console.WriteLine($"stop requested: step {step} is checkpointed, {env.StopGracePeriodRemaining.TotalSeconds:F0} s of the grace period left; exiting to be resumed");
        return TrainingEnvironment.StoppedExitCode;
    }
}

var timedSteps = steps - firstStep;
if (timedSteps > 0)
{
    Console.WriteLine(FormattableString.Invariant(
        $"kernels compiled and first step in {compileAndFirstStep.TotalSeconds:F2} s; {timedSteps} more steps in {trainingTime.Elapsed.TotalSeconds:F2} s; steps/s: {timedSteps / trainingTime.Elapsed.TotalSeconds:F2}"));
}

if (env.ModelDirLocalPath is { } modelDir)
{
    Directory.CreateDirectory(modelDir);
    model.Save(Path.Combine(modelDir, "weights.bin"));
    Console.WriteLine($"model written to {modelDir}");
}

Console.WriteLine(FormattableString.Invariant($"final accuracy {accuracy:F4}"));
return 0;
