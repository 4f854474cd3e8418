using System.Globalization;
using VertexTraining.Core.Configuration;
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

    /// <summary>The study's automated stopping rule stopped it (<see cref="ReplicaSetRequest.EarlyStop"/>).</summary>
    StoppedEarly,
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
    TimeSpan FinishGrace)
{
    /// <summary>Vertex's restart rules for this job; none by default.</summary>
    public RestartRules Restarts { get; init; } = RestartRules.None;

    /// <summary>Rehearsed preemptions; those of other trials are ignored.</summary>
    public IReadOnlyList<PreemptionPlan> Preemptions { get; init; } = [];

    /// <summary>How long a preempted replica gets between SIGTERM and the kill (Vertex's notice period).</summary>
    public TimeSpan PreemptionGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Cancelled when the study's automated stopping rule condemns this trial: its replicas get the stop signal and
    /// <see cref="PreemptionGrace"/> to save a checkpoint, as on a preemption, and are not restarted.
    /// </summary>
    public CancellationToken EarlyStop { get; init; }

    /// <summary>Where restarts are recorded for <c>status</c>.</summary>
    public RestartLog RestartLog { get; init; } = new(null);

    /// <summary>This request under the job's restart rules and the run's rehearsed preemptions.</summary>
    public ReplicaSetRequest WithRestarts(Api.Scheduling? scheduling, LocalRunOptions options, RunFolder folder) => this with
    {
        // A trainer learns its grace period from the environment only when a preemption is rehearsed; otherwise the
        // runtime's default (Vertex's 30 s) stands, and a local stop still gives it StopGrace.
        Context = options.Preemptions.Count > 0 ? Context with { StopGracePeriod = options.PreemptionGrace } : Context,
        Restarts = RestartRules.From(scheduling),
        Preemptions = options.Preemptions,
        PreemptionGrace = options.PreemptionGrace,
        RestartLog = folder.RestartLog,
    };
}

/// <summary>
/// Runs every replica of a job spec at once and decides the end as Vertex AI does: the primary replica exiting 0
/// ends it successfully (the others get a short grace period to finish, then are stopped, as parameter servers
/// never finish on their own); the timeout and cancellation stop everything. A replica that exits non-zero, or is
/// preempted, is restarted in place under <see cref="RestartRules"/>; past its restarts the whole set is retried, and
/// past the retries (or on a permanent error, or with retries disabled) the job fails. Whatever way it ends, no
/// replica is left running.
/// </summary>
internal static class ReplicaSetRun
{
    // When a replica dies because the user pressed Ctrl-C (the terminal signals the whole process group),
    // the cancellation usually arrives a moment later: wait that long before calling it a failure.
    private static readonly TimeSpan SignalSettle = TimeSpan.FromMilliseconds(500);

    public static async Task<ReplicaSetOutcome> RunAsync(ReplicaSetRequest request, CancellationToken cancellationToken)
    {
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);

        // The timeout and the preemption times count from the start of the job (or trial), across restarts and retries.
        var deadline = request.Timeout is { } timeout && timeout < TimeSpan.FromDays(40)
            ? Task.Delay(timeout, CancellationToken.None)
            : Task.Delay(Timeout.Infinite, CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var preemptions = new Queue<PreemptionPlan>(request.Preemptions.Where(p => p.TrialId == request.Context.TrialId).OrderBy(p => p.After));
        for (var retry = 0; ; retry++)
        {
            var run = new Attempt(request, retry, cancelled, deadline, clock, preemptions, cancellationToken);
            var (outcome, retryJob) = await run.RunAsync().ConfigureAwait(false);
            if (!retryJob)
            {
                return outcome;
            }

            if (retry >= request.Restarts.MaxJobRetries)
            {
                return outcome with
                {
                    Message = outcome.Message + string.Create(CultureInfo.InvariantCulture,
                        $" The job was retried {retry} time{(retry == 1 ? "" : "s")} (at most {request.Restarts.MaxJobRetries}), as Vertex AI does, and failed each time."),
                };
            }

            var reason = string.Create(CultureInfo.InvariantCulture, $"job retry {retry + 1} of {request.Restarts.MaxJobRetries}");
            request.Output.Info($"{Prefix(request)}{reason}: {outcome.Message} Restarting every replica, as Vertex AI retries a job whose worker used up its restarts.");
            foreach (var replica in request.Layout.Replicas)
            {
                request.RestartLog.Record(RunFolder.TaskName(request.Context.TrialId, replica.TaskName), reason);
            }
        }
    }

    private static string Prefix(ReplicaSetRequest request) => request.Context.TrialId is { } trial ? $"trial {trial}: " : "";

    /// <summary>One attempt of the whole set: its replicas, their restarts and its end.</summary>
    private sealed class Attempt(
        ReplicaSetRequest request, int retry, Task cancelled, Task deadline, System.Diagnostics.Stopwatch clock,
        Queue<PreemptionPlan> preemptions, CancellationToken cancellationToken)
    {
        private readonly List<Started> _active = [];
        private readonly List<Started> _all = [];
        private readonly Dictionary<string, int> _failureRestarts = new(StringComparer.Ordinal);
        private readonly List<Task> _stopping = [];
        private int _launches;

        public async Task<(ReplicaSetOutcome Outcome, bool RetryJob)> RunAsync()
        {
            try
            {
                if (StartAll() is { } couldNotStart)
                {
                    return (couldNotStart, false);
                }

                // Replicas that fail to start through the engine exit at once; the supervision below reports them.
                await Task.Yield();
                return await Supervise().ConfigureAwait(false);
            }
            finally
            {
                var leftovers = _all.Where(s => !s.Handle.Completion.IsCompleted).ToList();
                foreach (var replica in leftovers)
                {
                    request.Output.ReplicaInfo($"{replica.Task}: stopping");
                }

                await Task.WhenAll(leftovers.Select(s => s.Handle.StopAsync(request.StopGrace)).Concat(_stopping)).ConfigureAwait(false);
                foreach (var replica in _all)
                {
                    replica.Handle.Dispose();
                }
            }
        }

        private ReplicaSetOutcome? StartAll()
        {
            foreach (var replica in request.Layout.Replicas)
            {
                if (Start(replica) is { } failed)
                {
                    return failed;
                }
            }

            return null;
        }

        private ReplicaSetOutcome? Start(LocalReplica replica)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Cancelled;
            }

            var context = request.Context;
            var task = RunFolder.TaskName(context.TrialId, replica.TaskName);
            var folders = ReplicaEnvironment.WritableFolders(replica, context);
            try
            {
                foreach (var folder in folders)
                {
                    Directory.CreateDirectory(folder);
                }

                // A restarted replica keeps its task name, environment and folders (so its checkpoints); only the
                // container's name changes, so the engine never meets the old container's name again.
                var launches = _launches++;
                var instance = $"vtx-{context.JobId}-{task}" + (launches >= request.Layout.Replicas.Count || retry > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"-r{retry}-{launches}")
                    : "");
                var launch = new ReplicaLaunch(
                    replica,
                    task,
                    instance,
                    context.JobId,
                    [.. replica.Container.Args ?? [], .. request.ExtraArguments],
                    ReplicaEnvironment.Build(request.Layout, replica, context),
                    folders);
                var started = new Started(replica, task, request.Launcher.Start(launch, request.Output.LinesOf(task)));
                _active.Add(started);
                _all.Add(started);
                request.Output.ReplicaInfo($"{task}: started at {replica.Address}");
                return null;
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

        private static ReplicaSetOutcome Cancelled => new(ReplicaSetEnd.Cancelled, "The job was cancelled.", DiagnosticCodes.LocalJobCancelled);

        private async Task<(ReplicaSetOutcome, bool)> Supervise()
        {
            var timedOutOutcome = new ReplicaSetOutcome(ReplicaSetEnd.TimedOut,
                $"The job exceeded its timeout of {Describe(request.Timeout)} ({VertexProperty.Timeout}, scheduling.timeout) and was stopped.", DiagnosticCodes.LocalJobTimedOut);
            Task? finishBy = null;
            var stopEarly = Task.Delay(Timeout.Infinite, request.EarlyStop).ContinueWith(_ => { }, TaskScheduler.Default);

            while (_active.Count > 0)
            {
                var exits = _active.Select(s => (Task)s.Handle.Completion).ToList();
                var nextPreemption = preemptions.TryPeek(out var plan)
                    ? Task.Delay(plan.After > clock.Elapsed ? plan.After - clock.Elapsed : TimeSpan.Zero, CancellationToken.None)
                    : Task.Delay(Timeout.Infinite, CancellationToken.None);
                var first = await Task.WhenAny([.. exits, cancelled, deadline, nextPreemption, stopEarly, .. finishBy is null ? Array.Empty<Task>() : [finishBy]]).ConfigureAwait(false);
                if (first == cancelled)
                {
                    return (Cancelled, false);
                }

                if (first == deadline)
                {
                    return (timedOutOutcome, false);
                }

                if (first == finishBy)
                {
                    // The primary succeeded and these are still running (parameter servers, evaluators): stop them.
                    return (new ReplicaSetOutcome(ReplicaSetEnd.Succeeded), false);
                }

                if (first == stopEarly)
                {
                    return (await StopEarly().ConfigureAwait(false), false);
                }

                if (first == nextPreemption)
                {
                    Preempt(preemptions.Dequeue());
                    continue;
                }

                var done = _active[exits.IndexOf(first)];
                _active.Remove(done);
                var code = await done.Handle.Completion.ConfigureAwait(false);
                request.Output.ReplicaInfo($"{done.Task}: exited with code {code.ToString(CultureInfo.InvariantCulture)}{(done.Preempted ? " after its preemption" : "")}");
                if (done.Preempted)
                {
                    // Whatever its exit code (a replica that saved and exited 0 included), a preempted worker comes back.
                    if (request.Restarts.DisableRetries)
                    {
                        return (new ReplicaSetOutcome(ReplicaSetEnd.Failed,
                            $"The replica {done.Replica.TaskName} was preempted and retries are disabled (VertexDisableRetries), so the job fails.",
                            DiagnosticCodes.ReplicaFailed), false);
                    }

                    if (await Restart(done, "preempted").ConfigureAwait(false) is { } failed)
                    {
                        return (failed, false);
                    }

                    continue;
                }

                if (code != 0)
                {
                    await Task.WhenAny(Task.Delay(SignalSettle, CancellationToken.None), cancelled).ConfigureAwait(false);
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return (Cancelled, false);
                    }

                    var failure = $"The replica {done.Replica.TaskName} exited with a non-zero status of {code.ToString(CultureInfo.InvariantCulture)}.{Hint(code)}";
                    if (RestartRules.PermanentReason(code) is { } permanent)
                    {
                        return (new ReplicaSetOutcome(ReplicaSetEnd.Failed,
                            $"{failure} That is a permanent error ({permanent}), which Vertex AI does not restart.", DiagnosticCodes.ReplicaFailed), false);
                    }

                    if (request.Restarts.DisableRetries)
                    {
                        return (new ReplicaSetOutcome(ReplicaSetEnd.Failed, failure, DiagnosticCodes.ReplicaFailed), false);
                    }

                    var used = _failureRestarts.GetValueOrDefault(done.Task);
                    if (used >= request.Restarts.MaxWorkerRestarts)
                    {
                        return (new ReplicaSetOutcome(ReplicaSetEnd.Failed,
                            string.Create(CultureInfo.InvariantCulture, $"{failure} It had been restarted {used} time{(used == 1 ? "" : "s")}, the most Vertex AI allows a worker."),
                            DiagnosticCodes.ReplicaFailed), true);
                    }

                    _failureRestarts[done.Task] = used + 1;
                    if (used == 0 && retry == 0)
                    {
                        request.Output.Info($"{done.Task}: Vertex AI restarts a worker that exits non-zero up to {request.Restarts.MaxWorkerRestarts} times, then retries the job up to {request.Restarts.MaxJobRetries} times; VertexDisableRetries=true fails at once instead");
                    }

                    if (await Restart(done, string.Create(CultureInfo.InvariantCulture,
                        $"exited with code {code}; restart {used + 1} of {request.Restarts.MaxWorkerRestarts}")).ConfigureAwait(false) is { } failed)
                    {
                        return (failed, false);
                    }

                    continue;
                }

                if (done.Replica.IsPrimary && _active.Count > 0)
                {
                    finishBy = Task.Delay(request.FinishGrace, CancellationToken.None);
                }
            }

            return (new ReplicaSetOutcome(ReplicaSetEnd.Succeeded), false);
        }

        private void Preempt(PreemptionPlan plan)
        {
            var target = _active.FirstOrDefault(s => s.Replica.TaskName == plan.Task);
            if (target is null)
            {
                request.Output.Info($"{Prefix(request)}preemption {plan} skipped: {plan.Task} is not running");
                return;
            }

            target.Preempted = true;
            request.Output.Info(
                $"{target.Task}: preempted (rehearsal {plan}): SIGTERM now, killed after {DurationText.Describe(request.PreemptionGrace)} if still running");
            _stopping.Add(target.Handle.StopAsync(request.PreemptionGrace));
        }

        private async Task<ReplicaSetOutcome> StopEarly()
        {
            var stopping = _active.ToList();
            _active.Clear();
            foreach (var replica in stopping)
            {
                request.Output.Info($"{replica.Task}: stopped early: SIGTERM now, killed after {DurationText.Describe(request.PreemptionGrace)} if still running");
            }

            await Task.WhenAll(stopping.Select(s => s.Handle.StopAsync(request.PreemptionGrace))).ConfigureAwait(false);
            return new ReplicaSetOutcome(ReplicaSetEnd.StoppedEarly);
        }

        /// <summary>Starts <paramref name="done"/> again, or every replica when the job asks for that.</summary>
        private async Task<ReplicaSetOutcome?> Restart(Started done, string reason)
        {
            request.RestartLog.Record(done.Task, reason);
            var toStart = new List<LocalReplica> { done.Replica };
            if (request.Restarts.RestartJobOnWorkerRestart)
            {
                // restartJobOnWorkerRestart: the others are stopped (and gone, so their ports are free) before all come back.
                var others = _active.ToList();
                foreach (var other in others)
                {
                    request.Output.Info($"{other.Task}: stopping to restart with {done.Task} (VertexRestartJobOnWorkerRestart)");
                    _active.Remove(other);
                    request.RestartLog.Record(other.Task, $"restarted with {done.Task}");
                    toStart.Add(other.Replica);
                }

                await Task.WhenAll(others.Select(o => o.Handle.StopAsync(request.StopGrace))).ConfigureAwait(false);
            }

            request.Output.Info($"{done.Task}: restarting ({reason})");
            foreach (var replica in request.Layout.Replicas.Where(toStart.Contains))
            {
                if (Start(replica) is { } failed)
                {
                    return failed;
                }
            }

            return null;
        }
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

    private sealed record Started(LocalReplica Replica, string Task, RunningReplica Handle)
    {
        /// <summary>Set when a rehearsed preemption stopped it: it is restarted whatever its exit code.</summary>
        public bool Preempted { get; set; }
    }
}

/// <summary>Short human forms of durations for messages.</summary>
internal static class DurationText
{
    public static string Describe(TimeSpan t) =>
        t.TotalSeconds < 120 ? t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : t.TotalMinutes < 120 ? t.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + "m"
        : t.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + "h";
}
