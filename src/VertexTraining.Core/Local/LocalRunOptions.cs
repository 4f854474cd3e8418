using VertexTraining.Core.Configuration;

namespace VertexTraining.Core.Local;

/// <summary>What to run locally and how.</summary>
public sealed class LocalRunOptions
{
    /// <summary>The job document (CustomJob or HyperparameterTuningJob request body).</summary>
    public required JobDocument Document { get; init; }

    /// <summary>The job-request.json the document came from; the default run folder is <c>runs/&lt;id&gt;</c> beside it.</summary>
    public string? RequestPath { get; init; }

    /// <summary>The published linux-x64 executable, for process mode.</summary>
    public string? AppPath { get; init; }

    /// <summary>The image archive the SDK built (<c>image.tar.gz</c>), loaded into the engine for container mode.</summary>
    public string? ImageArchive { get; init; }

    /// <summary>An image already in the engine's store, standing for the app's image in container mode.</summary>
    public string? Image { get; init; }

    /// <summary>Pull <see cref="Image"/> into the engine first (from the build's loopback registry, by digest).</summary>
    public bool PullImage { get; init; }

    /// <summary>Auto, container or process.</summary>
    public ExecutionMode Mode { get; init; } = ExecutionMode.Auto;

    /// <summary>The run folder; default <c>&lt;folder of the request&gt;/runs/&lt;id&gt;</c>.</summary>
    public string? RunDirectory { get; init; }

    /// <summary>
    /// Pass the machine's GPUs to the replicas and keep the requested accelerator count (<c>--gpus all</c>). Off by
    /// default: VERTEX_ACCELERATOR_COUNT is then 0, so the runtime's GPU check does not fail on a machine without GPUs.
    /// </summary>
    public bool PassGpus { get; init; }

    /// <summary>
    /// Local folders for the job's NFS and Lustre shares, by where they are mounted (<c>/mnt/nfs/data</c>): bind-mounted
    /// there in container mode (LocalPath on the items, <c>local-run --mount</c>). A share without one gets a folder of the run.
    /// </summary>
    public IReadOnlyDictionary<string, string> MountFolders { get; init; } = new Dictionary<string, string>();

    /// <summary>Seeds the search algorithms; random when null.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// A local tuning job to continue in its run folder (<c>local/&lt;id&gt;</c>, <c>--resume</c>, VertexResume): its
    /// finished trials are kept, interrupted ones run again, new ones run up to the document's maxTrialCount.
    /// </summary>
    public string? Resume { get; init; }

    /// <summary>Earlier tuning jobs (<c>local/&lt;id&gt;</c> or cloud resource names) whose trials seed the search (VertexTuningWarmStart, <c>--warm-start</c>).</summary>
    public IReadOnlyList<string> WarmStart { get; init; } = [];

    /// <summary>Cloud HyperparameterTuningJobs among <see cref="WarmStart"/>, read through the API by the caller, by the name given.</summary>
    public IReadOnlyDictionary<string, Api.HyperparameterTuningJob> WarmStartCloudJobs { get; init; } = new Dictionary<string, Api.HyperparameterTuningJob>();

    /// <summary>The job id; a new one when null.</summary>
    public string? JobId { get; init; }

    /// <summary>How long a replica gets between SIGTERM and SIGKILL when it is stopped.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rehearsed preemptions (<c>--preempt</c>, VertexLocalPreempt).</summary>
    public IReadOnlyList<PreemptionPlan> Preemptions { get; init; } = [];

    /// <summary>
    /// How long a preempted replica gets between SIGTERM and the kill (VertexLocalGracePeriod): the ~30 s notice
    /// Compute Engine gives Spot and preemptible VMs.
    /// </summary>
    public TimeSpan PreemptionGrace { get; init; } = DefaultPreemptionGrace;

    /// <summary>The default of <see cref="PreemptionGrace"/>.</summary>
    public static TimeSpan DefaultPreemptionGrace { get; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the other replicas get to finish after the primary replica succeeded.</summary>
    public TimeSpan FinishGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Finds podman, docker and commands of process-mode pools; this process's PATH by default.</summary>
    public ExecutableLocator? Locator { get; init; }

    /// <summary>The index of local jobs; <see cref="LocalJobStore.Default"/> when null.</summary>
    public LocalJobStore? Store { get; init; }

    /// <summary>
    /// Streams every task's output lines to the output (<c>local-run --verbose</c>, VertexLocalVerbosity=detailed).
    /// Without it a tuning job prints one line per trial event and a summary; custom jobs always stream.
    /// </summary>
    public bool StreamAllTaskOutput { get; init; }

    /// <summary>The least time between two printed values of one running trial.</summary>
    public TimeSpan TrialProgressInterval { get; init; } = TimeSpan.FromSeconds(5);
}
