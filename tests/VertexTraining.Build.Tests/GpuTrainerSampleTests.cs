using System.Globalization;
using System.Text.RegularExpressions;
using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>
/// samples/GpuTrainer as a user runs it, from a copy shielded from the repository: its tuning job run on this
/// machine (no GPU: ILGPU's CPU accelerator runs the same kernels), and its cloud dry run, whose document asks
/// for the L4 machine and whose image sits on the light <c>base</c> flavour that ILGPU needs.
/// </summary>
public sealed partial class GpuTrainerSampleTests
{
    /// <summary>A job small enough for CI's CPU: a few steps on a narrow input, each set a whole number of small batches.</summary>
    private const string SmallJobArgs = "--steps=6;--features=16;--batch_size=32;--train_batches=2;--validation_batches=1;--evaluate_every=3";

    private static string SamplesFolder => Path.Combine(RepositoryLayout.Root, "samples");

    [Fact]
    public void Its_tuning_job_runs_on_this_machine_in_process_mode_and_reports_accuracy()
    {
        using var project = TestProject.Create("GpuTrainer", "gpu-sample-local", SamplesFolder);
        var jobsIndex = Path.Combine(project.Directory, "local-jobs");
        var properties = new BuildProperties
        {
            ["VertexLocalMode"] = "process",
            ["VertexArgs"] = SmallJobArgs,
            // One trial: ILGPU's CPU accelerator is slow, and one trial shows the study and the metric working.
            ["VertexMaxTrialCount"] = "1",
            ["VertexParallelTrialCount"] = "1",
            ["VertexMaxFailedTrialCount"] = "1",
            // The trainer's own lines are what this test reads: a study keeps them off the console unless asked.
            ["VertexLocalVerbosity"] = "detailed",
        };

        var run = Submission.Publish(project, properties, new Dictionary<string, string?> { ["VERTEX_LOCAL_JOBS_DIR"] = jobsIndex });

        run.Build.AssertSuccess();
        var output = run.Build.Output;
        // The trial got the study's values and trained on the CPU (the job's L4 is not passed to a local process).
        var trial = TrialLine().Match(output);
        Assert.True(trial.Success, $"The trainer did not start a trial on the CPU.\n{run.Build.Describe()}");
        Assert.Contains(trial.Groups["hidden"].Value, new[] { "256", "512", "1024" });
        Assert.Contains("steps/s: ", output);
        Assert.Contains($"[trial-{trial.Groups["trial"].Value}-workerpool0-0] ", output); // streamed with its task
        // The study saw the metric the trainer reported through HyperTune.
        var best = BestTrial().Match(output);
        Assert.True(best.Success && best.Groups["trial"].Value == trial.Groups["trial"].Value, $"No 'Best trial' line for trial {trial.Groups["trial"].Value}.\n{run.Build.Describe()}");
        var accuracy = double.Parse(best.Groups["accuracy"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.0, 1.0);
        var final = FinalAccuracy().Match(output);
        Assert.True(final.Success, $"The trainer printed no final accuracy.\n{run.Build.Describe()}");
        // The trainer prints 4 decimals, the trial table 6 significant digits: the same measurement.
        Assert.InRange(Math.Abs(double.Parse(final.Groups["accuracy"].Value, CultureInfo.InvariantCulture) - accuracy), 0.0, 1e-4);
        // The run's own record agrees: the local job index holds the finished job.
        Assert.NotEmpty(Directory.GetFiles(jobsIndex, "*", SearchOption.AllDirectories));
    }

    [RegistryFact]
    public void Its_cloud_dry_run_asks_for_an_L4_on_g2_standard_8_with_the_image_on_the_base_flavour()
    {
        TestEnvironment.RequireRegistry();
        using var project = TestProject.Create("GpuTrainer", "gpu-sample-dry-run", SamplesFolder);
        var properties = Submission.CloudProperties(TestEnvironment.Registry, TestEnvironment.BaseImageRepository, "gpu-sample-dry-run")
            .With(("VertexDryRun", "true"));

        var run = Submission.Publish(project, properties);

        run.Build.AssertSuccess();
        var document = run.Document;
        Json.String(document, "trialJobSpec.workerPoolSpecs[0].machineSpec.machineType", "g2-standard-8");
        Json.String(document, "trialJobSpec.workerPoolSpecs[0].machineSpec.acceleratorType", "NVIDIA_L4");
        Json.Equal("1", Json.At(document, "trialJobSpec.workerPoolSpecs[0].machineSpec.acceleratorCount"), "acceleratorCount");
        Json.String(document, "studySpec.metrics[0].metricId", "accuracy");
        Json.String(document, "studySpec.metrics[0].goal", "MAXIMIZE");
        Json.Equal("6", Json.At(document, "maxTrialCount"), "maxTrialCount");
        run.PinnedDigest();

        // ILGPU needs only the driver: the image is on the base flavour, and the native check agrees.
        var config = OciArchive.Load(run.ImageArchivePath).Config;
        Json.String(config, "config.Labels['org.opencontainers.image.base.name']", TestEnvironment.BaseImageRepository + ":12.4.1-base-ubuntu22.04");
        Assert.Contains(run.Build.VertexLines, l => l.StartsWith("VertexTraining: native compatibility:", StringComparison.Ordinal)
            && l.EndsWith("12.4.1-base-ubuntu22.04: they load", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Build.Warnings, w => w.Code == "VTX2061");
    }

    [GeneratedRegex(@"trial=(?<trial>\S+) device=CPU \(CPUAccelerator\) learning_rate=\S+ hidden_units=(?<hidden>\d+) features=16 batch_size=32 steps=6")]
    private static partial Regex TrialLine();

    [GeneratedRegex(@"Best trial: (?<trial>\d+) \(accuracy = (?<accuracy>[0-9.]+), goal MAXIMIZE\)")]
    private static partial Regex BestTrial();

    [GeneratedRegex(@"final accuracy (?<accuracy>[0-9.]+)")]
    private static partial Regex FinalAccuracy();
}
