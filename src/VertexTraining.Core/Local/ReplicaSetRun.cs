using System.Globalization;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>How one run of a job's replicas (a custom job, or one trial) ended.</summary>
internal enum ReplicaSetEnd
{
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
    CouldNotStart,
}

/// <summary>The end of a replica set, with Vertex-style wording for the job's error.</summary>
internal sealed record ReplicaSetOutcome(ReplicaSetEnd End, string? Message = null, string? Code = null);

/// <summary>What <see cref="ReplicaSetRun"/> runs.</summary>
internal sealed record ReplicaSetRequest(
    ClusterLayout Layout,
    IReplicaLauncher Launcher,
    ReplicaRunContext Context,
    IReadOnlyList<string> ExtraArguments,
    TimeSpan? Timeout,
    RunOutput Output,
    TimeSpan StopGrace,
    TimeSpan FinishGrace);

/// <summary>
/// Runs every replica of a job spec at once and decides the end as Vertex AI does: any replica exiting non-zero
/// fails the job; the primary replica exiting 0 ends it successfully (the others get a short grace period to
/// finish, then are stopped, as parameter servers never finish on their own); the timeout and cancellation stop
/// everything. Whatever way it ends, no replica is left running.
/// </summary>
internal static class ReplicaSetRun
{
    // When a replica dies because the user pressed Ctrl-C (the terminal signals the whole process group),
    // the cancellation usually arrives a moment later: wait that long before calling it a failure.
    private static readonly TimeSpan SignalSettle = TimeSpan.FromMilliseconds(500);

    public static async Task<ReplicaSetOutcome> RunAsync(ReplicaSetRequest request, CancellationToken cancellationToken)
    {
        var started = new List<Started>();
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        try
        {
            var outcome = await StartAll(request, started, cancellationToken).ConfigureAwait(false)
                ?? await Supervise(request, started, cancelled, cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            var leftovers = started.Where(s => !s.Handle.Completion.IsCompleted).ToList();
            foreach (var replica in leftovers)
            {
                request.Output.Info($"{replica.Task}: stopping");
            }

            await Task.WhenAll(leftovers.Select(s => s.Handle.StopAsync(request.StopGrace))).ConfigureAwait(false);
            foreach (var replica in started)
            {
                replica.Handle.Dispose();
            }
        }
    }

    private static async Task<ReplicaSetOutcome?> StartAll(ReplicaSetRequest request, List<Started> started, CancellationToken cancellationToken)
    {
        var context = request.Context;
        foreach (var replica in request.Layout.Replicas)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new ReplicaSetOutcome(ReplicaSetEnd.Cancelled, "The job was cancelled.", DiagnosticCodes.LocalJobCancelled);
            }

            var task = RunFolder.TaskName(context.TrialId, replica.TaskName);
            var folders = ReplicaEnvironment.WritableFolders(replica, context);
            try
            {
                foreach (var folder in folders)
                {
                    Directory.CreateDirectory(folder);
                }

                var launch = new ReplicaLaunch(
                    replica,
                    task,
                    $"vtx-{context.JobId}-{task}",
                    context.JobId,
                    [.. replica.Container.Args ?? [], .. request.ExtraArguments],
                    ReplicaEnvironment.Build(request.Layout, replica, context),
                    folders);
                started.Add(new Started(replica, task, request.Launcher.Start(launch, request.Output.LinesOf(task))));
                request.Output.Info($"{task}: started at {replica.Address}");
            }
            catch (LocalRunException e)
            {
                return new ReplicaSetOutcome(ReplicaSetEnd.CouldNotStart, e.Message, e.Code);
            }
            catch (IOException e)
            {
                return new ReplicaSetOutcome(ReplicaSetEnd.CouldNotStart, $"The folders of {task} could not be created: {e.Message}", DiagnosticCodes.LocalRunFolderUnusable);
            }
        }

        // Replicas that fail to start through the engine exit at once; the supervision below reports them.
        await Task.Yield();
        return null;
    }

    private static async Task<ReplicaSetOutcome> Supervise(ReplicaSetRequest request, List<Started> started, Task cancelled, CancellationToken cancellationToken)
    {
        // Task.Delay takes at most ~49 days; a longer timeout is as good as none on one machine.
        var deadline = request.Timeout is { } timeout && timeout < TimeSpan.FromDays(40)
            ? Task.Delay(timeout, CancellationToken.None)
            : Task.Delay(Timeout.Infinite, CancellationToken.None);
        var active = new List<Started>(started);
        var cancelledOutcome = new ReplicaSetOutcome(ReplicaSetEnd.Cancelled, "The job was cancelled.", DiagnosticCodes.LocalJobCancelled);
        var timedOutOutcome = new ReplicaSetOutcome(ReplicaSetEnd.TimedOut,
            $"The job exceeded its timeout of {Describe(request.Timeout)} (scheduling.timeout) and was stopped.", DiagnosticCodes.LocalJobTimedOut);
        Task? finishBy = null;

        while (active.Count > 0)
        {
            var exits = active.Select(s => (Task)s.Handle.Completion).ToList();
            var first = await Task.WhenAny([.. exits, cancelled, deadline, .. finishBy is null ? Array.Empty<Task>() : [finishBy]]).ConfigureAwait(false);
            if (first == cancelled)
            {
                return cancelledOutcome;
            }

            if (first == deadline)
            {
                return timedOutOutcome;
            }

            if (first == finishBy)
            {
                // The primary succeeded and these are still running (parameter servers, evaluators): stop them.
                return new ReplicaSetOutcome(ReplicaSetEnd.Succeeded);
            }

            var done = active[exits.IndexOf(first)];
            active.Remove(done);
            var code = await done.Handle.Completion.ConfigureAwait(false);
            request.Output.Info($"{done.Task}: exited with code {code.ToString(CultureInfo.InvariantCulture)}");
            if (code != 0)
            {
                await Task.WhenAny(Task.Delay(SignalSettle, CancellationToken.None), cancelled).ConfigureAwait(false);
                return cancellationToken.IsCancellationRequested
                    ? cancelledOutcome
                    : new ReplicaSetOutcome(ReplicaSetEnd.Failed,
                        $"The replica {done.Replica.TaskName} exited with a non-zero status of {code.ToString(CultureInfo.InvariantCulture)}.{Hint(code)}",
                        DiagnosticCodes.ReplicaFailed);
            }

            if (done.Replica.IsPrimary && active.Count > 0)
            {
                finishBy = Task.Delay(request.FinishGrace, CancellationToken.None);
            }
        }

        return new ReplicaSetOutcome(ReplicaSetEnd.Succeeded);
    }

    private static string Hint(int code) => code switch
    {
        125 => " (the container engine could not run it; see its log)",
        126 or 127 => " (the command could not be executed; see its log)",
        137 => " (killed, possibly out of memory)",
        _ => "",
    };

    private static string Describe(TimeSpan? timeout) =>
        timeout is { } t ? DurationText.Describe(t) : "";

    private sealed record Started(LocalReplica Replica, string Task, RunningReplica Handle);
}

/// <summary>Short human forms of durations for messages.</summary>
internal static class DurationText
{
    public static string Describe(TimeSpan t) =>
        t.TotalSeconds < 120 ? t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : t.TotalMinutes < 120 ? t.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + "m"
        : t.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + "h";
}
