using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// Runs a job document on this machine as Vertex AI would: each pool replica as a container of the built image or a
/// process of the published app, with CLUSTER_SPEC / TF_CONFIG / AIP_* set; a tuning job's trials one after another
/// or in parallel. The run folder records the job like a cloud resource (job.json) and each task's log.
/// </summary>
public static class LocalJobRunner
{
    private static readonly TimeSpan CancelPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs the job to its end. Cancelling <paramref name="cancellationToken"/> (Ctrl-C) stops every replica and trial.</summary>
    /// <exception cref="LocalRunException">The run folder cannot be used (VTX5017); every later problem is recorded in the result.</exception>
    public static async Task<LocalRunResult> RunAsync(LocalRunOptions options, ILocalRunOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var store = options.Store ?? LocalJobStore.Default;
        var resume = options.Resume is { } reference ? StudyResume.Prepare(reference, options.Document.TuningJob, store) : null;
        var jobId = resume?.JobId ?? options.JobId ?? LocalJobName.NewId(DateTimeOffset.UtcNow);
        var folder = resume is null ? PrepareFolder(options, jobId) : ReuseFolder(options, resume.Folder);
        var resource = resume is null ? new JobResource(options.Document, jobId, folder, DateTimeOffset.UtcNow) : new JobResource(options.Document, resume);
        resource.Save();
        File.WriteAllText(folder.RunnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        try
        {
            store.Register(jobId, folder.Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.Diagnostic(new VertexDiagnostic(DiagnosticCodes.LocalRunFolderUnusable, "local-run",
                $"The job runs, but could not be recorded in the index {store.IndexDirectory} ({e.Message}); find it in {folder.Root}.", IsWarning: true));
        }

        // A custom job's replicas stream as they always did; a tuning job's trials print events (TrialEvents) instead.
        using var run = new RunOutput(output, folder) { StreamTaskLines = options.StreamAllTaskOutput || options.Document.TuningJob is null };
        using var cancelRequested = new CancellationTokenSource();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancelRequested.Token);
        var watcher = WatchCancelRequest(folder, cancelRequested, cancel.Token);
        var clock = Stopwatch.StartNew();
        var mode = ExecutionMode.Auto;
        var modeReason = "";
        IReplicaLauncher? launcher = null;
        ReplicaSetOutcome outcome;
        var configurationError = false;
        try
        {
            run.Info($"job {LocalJobName.ToName(jobId)} ({options.Document.DisplayName}); run folder {folder.Root}");
            if (resume is not null)
            {
                run.Info(string.Create(CultureInfo.InvariantCulture,
                    $"continuing the study: {resume.Kept.Count} finished trial{(resume.Kept.Count == 1 ? "" : "s")} kept, {resume.Rerun.Count} interrupted trial{(resume.Rerun.Count == 1 ? "" : "s")} to run again"));
            }

            var locator = options.Locator ?? new ExecutableLocator();
            var spec = options.Document.Spec ?? throw new LocalRunException(DiagnosticCodes.LocalUnsupportedDocument,
                "The job document has no jobSpec (or trialJobSpec).", isConfigurationError: true);
            var layout = ClusterLayout.Create(spec);
            var choice = await ModeSelector.ChooseAsync(options, locator, cancel.Token).ConfigureAwait(false);
            (mode, modeReason) = (choice.Mode, choice.Reason);
            // An explicit mode (--mode, or the build's choice, which the build already explained) needs no reason.
            var modeName = mode == ExecutionMode.Container ? $"container ({choice.Engine!.Name})" : "process";
            run.Info(options.Mode == ExecutionMode.Auto ? $"mode: {modeName}, because {modeReason}" : $"mode: {modeName}");
            foreach (var note in CloudOnlyFields.Notes(spec))
            {
                run.Info(note);
            }

            var mounts = SharedMounts.Prepare(spec, options.MountFolders, folder, mode);
            foreach (var mount in mounts)
            {
                run.Info(mount.Describe());
            }

            launcher = await CreateLauncherAsync(options, choice, spec, mounts, locator, run, cancel.Token).ConfigureAwait(false);
            launcher.Validate(layout.Replicas);
            if (options.PassGpus)
            {
                run.Info("GPUs: passed through (--gpus all); VERTEX_ACCELERATOR_COUNT keeps the requested count");
            }
            else if (layout.Replicas.Any(r => (r.Pool.MachineSpec?.AcceleratorCount ?? 0) > 0))
            {
                run.Info("GPUs: not passed (pass them with --gpus all, or -p:VertexLocalGpus=all through the build); VERTEX_ACCELERATOR_COUNT is 0 so the runtime's GPU check does not fail on this machine");
            }

            resource.SetState(LocalJobStates.Running);
            if (options.Document.TuningJob is { } tuningJob)
            {
                var seed = options.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
                outcome = await new TuningRun(tuningJob, resource, layout, launcher, folder, run, options, jobId, seed)
                    {
                        Resume = resume,
                        WarmStart = new WarmStartSource(options.WarmStart, options.WarmStartCloudJobs, store),
                    }
                    .RunAsync(cancel.Token).ConfigureAwait(false);
            }
            else
            {
                run.Info(string.Create(CultureInfo.InvariantCulture, $"starting {layout.Replicas.Count} replica{(layout.Replicas.Count == 1 ? "" : "s")}"));
                var timeout = Configuration.DurationParser.FromProtoJson(spec.Scheduling?.Timeout);
                var request = new ReplicaSetRequest(layout, launcher, new ReplicaRunContext(jobId, folder, null, options.PassGpus), [], timeout, run, options.StopGrace, options.FinishGrace)
                    .WithRestarts(spec.Scheduling, options, folder);
                outcome = await ReplicaSetRun.RunAsync(request, cancel.Token).ConfigureAwait(false);
            }
        }
        catch (LocalRunException e)
        {
            configurationError = e.IsConfigurationError;
            outcome = cancel.IsCancellationRequested
                ? new ReplicaSetOutcome(ReplicaSetEnd.Cancelled, "The job was cancelled.", DiagnosticCodes.LocalJobCancelled)
                : new ReplicaSetOutcome(ReplicaSetEnd.CouldNotStart, e.Message, e.Code);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            outcome = new ReplicaSetOutcome(ReplicaSetEnd.Cancelled, "The job was cancelled.", DiagnosticCodes.LocalJobCancelled);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The run folder became unwritable (disk full, removed): the replicas were stopped on the way out.
            outcome = new ReplicaSetOutcome(ReplicaSetEnd.CouldNotStart, $"The run folder {folder.Root} could not be written: {e.Message}", DiagnosticCodes.LocalRunFolderUnusable);
        }
        finally
        {
            if (launcher is not null)
            {
                try
                {
                    await launcher.CleanupAsync(jobId).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    run.Diagnostic(new VertexDiagnostic(DiagnosticCodes.ReplicaStartFailed, "local-run",
                        $"Could not check for leftover containers of the job ({e.Message}); list them with: podman ps -a --filter label={ContainerReplicaLauncher.JobLabel}={jobId}", IsWarning: true));
                }
            }

            await cancel.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
        }

        var (state, end, error) = outcome.End switch
        {
            ReplicaSetEnd.Succeeded => (LocalJobStates.Succeeded, LocalRunEnd.Succeeded, (RpcStatus?)null),
            ReplicaSetEnd.Cancelled => (LocalJobStates.Cancelled, LocalRunEnd.Cancelled, new RpcStatus { Code = 1, Message = outcome.Message }),
            ReplicaSetEnd.TimedOut => (LocalJobStates.Failed, LocalRunEnd.TimedOut, new RpcStatus { Code = 4, Message = outcome.Message }),
            ReplicaSetEnd.CouldNotStart => (LocalJobStates.Failed, LocalRunEnd.CouldNotRun, new RpcStatus { Code = 9, Message = outcome.Message }),
            _ => (LocalJobStates.Failed, LocalRunEnd.Failed, new RpcStatus { Code = 3, Message = outcome.Message }),
        };
        resource.SetState(state, error);
        TryDelete(folder.RunnerFile);

        if (outcome.Code is not null && end != LocalRunEnd.Succeeded)
        {
            run.Diagnostic(new VertexDiagnostic(outcome.Code, "local-run", outcome.Message ?? state));
        }

        if (resource.TuningJob is { } tuned && tuned.Trials is { Count: > 0 })
        {
            var report = TrialReport.From(tuned);
            run.Info("trials:\n" + report.FormatTable().TrimEnd());
            run.Info(report.DescribeBest());
        }

        run.Info(string.Create(CultureInfo.InvariantCulture,
            $"job {LocalJobName.ToName(jobId)} {JobStates.Short(state)} after {clock.Elapsed.TotalSeconds:F1}s ({mode.ToString().ToLowerInvariant()} mode); run folder: {folder.Root}"));
        return new LocalRunResult(jobId, folder, end, end == LocalRunEnd.Succeeded ? null : outcome.Code, mode, modeReason,
            resource.CustomJob, resource.TuningJob, interrupted: end == LocalRunEnd.Cancelled && cancellationToken.IsCancellationRequested)
        {
            IsConfigurationError = configurationError,
        };
    }

    private static RunFolder PrepareFolder(LocalRunOptions options, string jobId)
    {
        var root = options.RunDirectory
            ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.RequestPath ?? "job-request.json"))!, "runs", jobId);
        var folder = new RunFolder(root);
        try
        {
            if (File.Exists(folder.JobFile))
            {
                throw new LocalRunException(DiagnosticCodes.LocalRunFolderUnusable,
                    $"The run folder {folder.Root} already holds a job ({RunFolder.JobFileName}); choose another --run-dir.", isConfigurationError: true);
            }

            Directory.CreateDirectory(folder.Root);
            Directory.CreateDirectory(folder.LogsDirectory);
            AtomicFile.Write(folder.RequestFile, options.Document.ToJson());
            TryDelete(folder.CancelRequestFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LocalRunException(DiagnosticCodes.LocalRunFolderUnusable, $"The run folder {folder.Root} cannot be written: {e.Message}", inner: e);
        }

        return folder;
    }

    /// <summary>The run folder of a job being continued: the new request beside the old results, no stale cancel request.</summary>
    private static RunFolder ReuseFolder(LocalRunOptions options, RunFolder folder)
    {
        try
        {
            AtomicFile.Write(folder.RequestFile, options.Document.ToJson());
            TryDelete(folder.CancelRequestFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LocalRunException(DiagnosticCodes.LocalRunFolderUnusable, $"The run folder {folder.Root} cannot be written: {e.Message}", inner: e);
        }

        return folder;
    }

    private static async Task<IReplicaLauncher> CreateLauncherAsync(
        LocalRunOptions options, ModeChoice choice, CustomJobSpec spec, IReadOnlyList<SharedMount> mounts, ExecutableLocator locator, RunOutput run, CancellationToken cancellationToken)
    {
        if (choice.Mode == ExecutionMode.Process)
        {
            return new ProcessReplicaLauncher(options.AppPath!, BuiltImage.Matcher(spec, options.Image), locator);
        }

        var engine = choice.Engine!;
        string reference;
        string? name;
        if (options.ImageArchive is not null)
        {
            run.Info($"loading {options.ImageArchive} into {engine.Name}");
            var loaded = await engine.LoadAsync(options.ImageArchive, cancellationToken).ConfigureAwait(false);
            (reference, name) = (options.Image ?? loaded.Reference, options.Image ?? loaded.Name);
        }
        else if (options.PullImage)
        {
            run.Info($"pulling {options.Image} into {engine.Name}");
            (reference, name) = (await engine.PullAsync(options.Image!, cancellationToken).ConfigureAwait(false), options.Image);
        }
        else
        {
            (reference, name) = (options.Image!, options.Image);
            if (!await engine.ImageExistsAsync(reference, cancellationToken).ConfigureAwait(false))
            {
                throw new LocalRunException(DiagnosticCodes.LocalImageLoadFailed,
                    $"The image '{reference}' is not in {engine.Name}'s local store; build it first or pass --image-archive.", isConfigurationError: true);
            }
        }

        return new ContainerReplicaLauncher(engine, reference, BuiltImage.Matcher(spec, name), options.PassGpus) { Mounts = mounts };
    }

    private static async Task WatchCancelRequest(RunFolder folder, CancellationTokenSource cancelRequested, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(CancelPoll, stop).ConfigureAwait(false);
                if (File.Exists(folder.CancelRequestFile))
                {
                    await cancelRequested.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftovers are harmless: a terminal job.json says the run ended.
        }
    }
}
