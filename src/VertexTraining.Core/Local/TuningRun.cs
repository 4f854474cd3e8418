using System.Globalization;
using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local.Search;
using VertexTraining.Core.Local.Stopping;

namespace VertexTraining.Core.Local;

/// <summary>
/// Runs a HyperparameterTuningJob's trials: up to parallelTrialCount at once, maxTrialCount in all, each a run of
/// the trial job spec with <c>--parameterId=value</c> appended to its args and its own metric file and output
/// folders. A trial succeeds with a measurement read from its primary replica's metric file; a trial that reports
/// nothing, fails, or times out is INFEASIBLE, with the reason.
/// </summary>
/// <remarks>
/// Failure budget: with maxFailedTrialCount N &gt; 0 the job fails once N trials have failed (maxFailedTrialCount in
/// the API reference). With 0 ("let the service decide") the job fails when more than half of the finished trials
/// have failed, which includes the first finished trial failing, as the Vertex AI documentation describes. Trials
/// that ran but reported no metric are infeasible, not failed.
/// </remarks>
internal sealed class TuningRun
{
    private readonly HyperparameterTuningJob _job;
    private readonly JobResource _resource;
    private readonly ClusterLayout _layout;
    private readonly IReplicaLauncher _launcher;
    private readonly RunFolder _folder;
    private readonly RunOutput _output;
    private readonly LocalRunOptions _options;
    private readonly string _jobId;
    private readonly int _seed;

    public TuningRun(HyperparameterTuningJob job, JobResource resource, ClusterLayout layout, IReplicaLauncher launcher,
        RunFolder folder, RunOutput output, LocalRunOptions options, string jobId, int seed)
    {
        _job = job;
        _resource = resource;
        _layout = layout;
        _launcher = launcher;
        _folder = folder;
        _output = output;
        _options = options;
        _jobId = jobId;
        _seed = seed;
    }

    /// <summary>The study being continued (<c>--resume</c>), or null for a new one.</summary>
    public StudyResume? Resume { get; init; }

    /// <summary>Earlier studies whose trials seed the search (VertexTuningWarmStart), and where to find them.</summary>
    public WarmStartSource WarmStart { get; init; } = new([], new Dictionary<string, HyperparameterTuningJob>(), LocalJobStore.Default);

    public async Task<ReplicaSetOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var study = _job.StudySpec ?? throw Unsupported("The tuning job has no studySpec.");
        var metric = study.Metrics?.FirstOrDefault() ?? throw Unsupported("The tuning job's studySpec has no metrics.");
        if (study.Metrics!.Count > 1)
        {
            _output.Diagnostic(new VertexDiagnostic(DiagnosticCodes.LocalUnsupportedDocument, "studySpec.metrics",
                $"The study has {study.Metrics.Count} metrics; the local tuner optimises the first, '{metric.MetricId}'.", IsWarning: true));
        }

        var goal = metric.Goal == "MINIMIZE" ? MetricGoal.Minimize : MetricGoal.Maximize;
        var best = study.MeasurementSelectionType == "BEST_MEASUREMENT";
        var maxTrials = Math.Max(1, _job.MaxTrialCount ?? 1);
        var parallel = Math.Clamp(_job.ParallelTrialCount ?? 1, 1, maxTrials);
        var maxFailed = Math.Max(0, _job.MaxFailedTrialCount ?? 0);
        var space = SearchSpace.FromStudy(study.Parameters ?? []);
        var unread = new UnreadHyperparameterWatch([.. (study.Parameters ?? []).Select(p => p.ParameterId).OfType<string>()], _output.Diagnostic);
        _output.Observe(unread.Observe);
        var algorithm = SearchAlgorithms.Create(study.Algorithm, space, goal, maxTrials, _seed);
        var prior = WarmStart.References.Count > 0 ? StudyWarmStart.Load(WarmStart, study, space, _output) : [];
        var timeout = Configuration.DurationParser.FromProtoJson(_job.TrialJobSpec?.Scheduling?.Timeout);
        var stoppingRule = EarlyStoppingRules.FromStudy(study, goal);
        _output.Info(string.Create(CultureInfo.InvariantCulture,
            $"tuning: up to {maxTrials} trials, {parallel} at a time, {SearchAlgorithms.Describe(algorithm.Name)} (seed {_seed}), metric '{metric.MetricId}' ({(goal == MetricGoal.Maximize ? "maximize" : "minimize")}, {(best ? "best" : "last")} measurement), {(maxFailed > 0 ? $"fail after {maxFailed} failed trials" : "fail when more than half of the finished trials failed")}{(stoppingRule is null ? "" : $", early stopping {stoppingRule.Name}")}"));

        if (!_output.StreamTaskLines)
        {
            _output.Info(TrialEvents.OutputNotStreamed(_folder));
        }

        await using var progress = new TrialProgressWatch(metric.MetricId, _options.TrialProgressInterval, _output.Info);
        string? summary = null;
        using var stopTrials = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var finished = new List<Observation>();
        var running = new Dictionary<Task<ReplicaSetOutcome>, (string Id, ParameterAssignment Parameters, DateTimeOffset Start)>();
        var watches = new Dictionary<string, (TrialCurveWatch Watch, Task Watching, CancellationTokenSource EarlyStop)>();
        var completedCurves = new CompletedCurves();
        var (startedCount, failedCount, finishedCount, lastId) = (0, 0, 0, 0);
        var rerun = new Queue<(string Id, ParameterAssignment Parameters)>();
        if (Resume is { } resume)
        {
            // The search continues from every finished trial; failed ones still count against the failure budget.
            foreach (var trial in resume.Kept)
            {
                var value = trial.State == LocalJobStates.TrialSucceeded
                    ? trial.FinalMeasurement?.Metrics?.FirstOrDefault(m => m.MetricId == metric.MetricId)?.Value
                    : null;
                finished.Add(new Observation(TrialAssignment.Of(trial), value));
                if (value is { } final && stoppingRule is not null)
                {
                    completedCurves.Add(new CompletedCurve(
                        [.. (trial.Measurements ?? []).Select(m => new CurvePoint(m.StepCount ?? 0, m.Metrics?.FirstOrDefault(x => x.MetricId == metric.MetricId)?.Value ?? double.NaN))],
                        final, trial.StoppedEarlyAtStep is not null));
                }

                failedCount += value is null ? 1 : 0;
            }

            (startedCount, finishedCount, lastId) = (resume.Kept.Count, resume.Kept.Count, resume.LastTrialId);
            foreach (var trial in resume.Rerun)
            {
                rerun.Enqueue((trial.Id!, TrialAssignment.Of(trial)));
            }
        }

        string? lastFailure = null;
        ReplicaSetOutcome? jobFailure = null;
        var exhausted = false;

        while (true)
        {
            while (!exhausted && jobFailure is null && !cancellationToken.IsCancellationRequested && running.Count < parallel && startedCount < maxTrials)
            {
                // Interrupted trials of a continued study first, with their ids and parameters (and so their checkpoints).
                var again = rerun.TryDequeue(out var interrupted);
                var assignment = again ? interrupted.Parameters : algorithm.Suggest([.. prior, .. finished], [.. running.Values.Select(r => r.Parameters)]);
                if (assignment is null)
                {
                    exhausted = true;
                    _output.Info($"tuning: {SearchAlgorithms.Describe(algorithm.Name)} has no more parameters to try after {startedCount} trials");
                    break;
                }

                startedCount++;
                var id = again ? interrupted.Id : (++lastId).ToString(CultureInfo.InvariantCulture);
                if (again)
                {
                    // A report the interrupted run left must not be read as this run's.
                    ClearMetrics(id);
                }

                var start = DateTimeOffset.UtcNow;
                _resource.Update(job => job.Trials!.Add(new Trial
                {
                    Name = $"{LocalJobName.ToName(_jobId)}/trials/{id}",
                    Id = id,
                    State = LocalJobStates.TrialActive,
                    Parameters = [.. assignment.Values.Select(p => new TrialParameter { ParameterId = p.Key, Value = p.Value.ToJsonElement() })],
                    StartTime = JobResource.Timestamp(start),
                }));
                _output.Info(TrialEvents.Started(id, assignment.ToString(), again));
                progress.Add(id, PrimaryMetricFile(id));
                // Each trial gets addresses of its own: parallel trials of a multi-replica job must not share ports.
                var layout = _layout.WithFreshPorts();
                var request = new ReplicaSetRequest(layout, _launcher, new ReplicaRunContext(_jobId, _folder, id, _options.PassGpus),
                    assignment.ToArguments(), timeout, _output, _options.StopGrace, _options.FinishGrace)
                    .WithRestarts(_job.TrialJobSpec?.Scheduling, _options, _folder);
                // A stop signal of its own only when a rule can condemn the trial.
                var earlyStop = stoppingRule is null ? null : new CancellationTokenSource();
                var trial = ReplicaSetRun.RunAsync(request with { EarlyStop = earlyStop?.Token ?? default }, stopTrials.Token);
                running[trial] = (id, assignment, start);
                if (stoppingRule is not null && earlyStop is not null)
                {
                    var watch = new TrialCurveWatch(PrimaryMetricFile(id), metric.MetricId, stoppingRule, completedCurves.Snapshot,
                        decision => _output.Info($"trial {id}: stopped early at step {decision.Step} ({stoppingRule.Name} rule): {decision.Reason}"));
                    watches[id] = (watch, watch.WatchAsync(trial, earlyStop), earlyStop);
                }
            }

            // Printed when it changed: after trials started or finished.
            if (TrialEvents.Summary(TrialReport.From(_resource.TuningJob!)) is var now && now != summary)
            {
                summary = now;
                _output.Info(now);
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var (trialId, parameters, trialStart) = running[done];
            running.Remove(done);
            progress.Remove(trialId);
            var outcome = await done.ConfigureAwait(false);
            TrialCurveWatch? curve = null;
            if (watches.Remove(trialId, out var watching))
            {
                await watching.Watching.ConfigureAwait(false);
                watching.EarlyStop.Dispose();
                curve = watching.Watch;
            }

            if (outcome.End == ReplicaSetEnd.Cancelled)
            {
                // Stopped because the job ended (cancelled, or failed through other trials).
                Finish(trialId, LocalJobStates.TrialInfeasible, null, null,
                    TrialReport.StoppedWithTheJobPrefix + (cancellationToken.IsCancellationRequested ? "was cancelled." : "failed."));
                _output.Info(TrialEvents.StoppedWithTheJob(trialId, cancellationToken.IsCancellationRequested));
                continue;
            }

            finishedCount++;
            if (outcome.End is ReplicaSetEnd.Succeeded or ReplicaSetEnd.StoppedEarly)
            {
                var records = MetricFile.Read(PrimaryMetricFile(trialId), metric.MetricId, out var otherTags);
                if (MetricFile.Measure(records, metric.MetricId, best, goal, trialStart) is { } measured)
                {
                    var value = measured.Final.Metrics![0].Value;
                    var stoppedAt = outcome.End == ReplicaSetEnd.StoppedEarly ? curve?.Decision?.Step : null;
                    Finish(trialId, LocalJobStates.TrialSucceeded, measured.Final, measured.Measurements, null, stoppedAt);
                    var learned = value;
                    if (curve is not null)
                    {
                        curve.Read();
                        if (stoppedAt is not null)
                        {
                            learned = StoppedTrialProjection.ProjectFinal(curve.Points, completedCurves.Snapshot()) is var projected && double.IsFinite(projected)
                                ? projected
                                : value;
                        }

                        completedCurves.Add(new CompletedCurve(curve.Points, value, StoppedEarly: stoppedAt is not null));
                    }

                    finished.Add(new Observation(parameters, learned));

                    _output.Info(TrialEvents.Finished(trialId, metric.MetricId, value, stoppedAt));
                }
                else
                {
                    var reason = $"The trial reported no value of the metric '{metric.MetricId}'" +
                                 (otherTags.Count > 0 ? $" (it reported {string.Join(", ", otherTags.Select(t => $"'{t}'"))} instead)." : ".");
                    Finish(trialId, LocalJobStates.TrialInfeasible, null, null, reason);
                    finished.Add(new Observation(parameters, null));

                    // A trial without the metric is as useless to the study as a crashed one: it spends the same failure
                    // budget, so a trainer that never reports stops the study early instead of running every trial.
                    failedCount++;
                    lastFailure = reason;
                    _output.Info(TrialEvents.Failed(trialId, reason, LocalJobName.ToName(_jobId), _folder));
                    _output.Diagnostic(new VertexDiagnostic(DiagnosticCodes.TrialReportedNoMetric, $"trial {trialId}",
                        $"Trial {trialId}: {reason} Report it with HyperTune.Report(\"{metric.MetricId}\", value).", IsWarning: true));
                }
            }
            else
            {
                failedCount++;
                lastFailure = outcome.Message;
                Finish(trialId, LocalJobStates.TrialInfeasible, null, null, $"Trial failed: {outcome.Message}");
                finished.Add(new Observation(parameters, null));
                _output.Info(TrialEvents.Failed(trialId, outcome.Message ?? "", LocalJobName.ToName(_jobId), _folder));
                if (outcome.End == ReplicaSetEnd.CouldNotStart)
                {
                    // Nothing else will start either.
                    jobFailure = outcome;
                    stopTrials.Cancel();
                    continue;
                }
            }

            if (jobFailure is null && (maxFailed > 0 ? failedCount >= maxFailed : failedCount * 2 > finishedCount))
            {
                var rule = maxFailed > 0
                    ? $"{VertexProperty.MaxFailedTrialCount} is {maxFailed}"
                    : $"more than half of the finished trials failed ({VertexProperty.MaxFailedTrialCount} 0 lets the service decide)";
                jobFailure = new ReplicaSetOutcome(ReplicaSetEnd.Failed,
                    $"{failedCount} of {finishedCount} finished trials failed and {rule}; the last failure: {lastFailure}",
                    DiagnosticCodes.TooManyFailedTrials);
                stopTrials.Cancel();
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return new ReplicaSetOutcome(ReplicaSetEnd.Cancelled, "The job was cancelled.", DiagnosticCodes.LocalJobCancelled);
        }

        if (jobFailure is not null)
        {
            return jobFailure;
        }

        return finished.Any(o => o.Value is not null)
            ? new ReplicaSetOutcome(ReplicaSetEnd.Succeeded)
            : new ReplicaSetOutcome(ReplicaSetEnd.Failed,
                $"None of the {finishedCount} trials reported the metric '{metric.MetricId}'. Report it from the primary replica with HyperTune.Report(\"{metric.MetricId}\", value).",
                DiagnosticCodes.NoTrialReportedMetric);
    }

    private void ClearMetrics(string trialId)
    {
        var metrics = _folder.MetricsDirectory(trialId);
        if (Directory.Exists(metrics))
        {
            Directory.Delete(metrics, recursive: true);
        }
    }

    private string PrimaryMetricFile(string trialId) => _folder.MetricFile(trialId, LocalReplica.PoolNameOf(0) + "-0");

    private void Finish(string trialId, string state, Measurement? final, List<Measurement>? measurements, string? infeasibleReason, long? stoppedEarlyAtStep = null) =>
        _resource.Update(job =>
        {
            var trial = job.Trials!.First(t => t.Id == trialId);
            trial.State = state;
            trial.StoppedEarlyAtStep = stoppedEarlyAtStep;
            trial.FinalMeasurement = final;
            trial.Measurements = measurements;
            trial.InfeasibleReason = infeasibleReason;
            trial.EndTime = JobResource.Timestamp(DateTimeOffset.UtcNow);
        });

    private static LocalRunException Unsupported(string message) =>
        new(DiagnosticCodes.LocalUnsupportedDocument, message, isConfigurationError: true);
}

/// <summary>The curves of the trials that have completed, read by the watches of the running ones.</summary>
internal sealed class CompletedCurves
{
    private readonly object _gate = new();
    private IReadOnlyList<CompletedCurve> _curves = [];

    public void Add(CompletedCurve curve)
    {
        lock (_gate)
        {
            _curves = [.. _curves, curve];
        }
    }

    public IReadOnlyList<CompletedCurve> Snapshot()
    {
        lock (_gate)
        {
            return _curves;
        }
    }
}
