using System.Globalization;
using System.Text.Json.Nodes;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Local;

/// <summary>
/// What continuing a local tuning job (<c>local-run --resume local/&lt;id&gt;</c>, <c>VertexResume</c>) starts from:
/// the job as its run folder recorded it, the trials that finished (kept with their results), and the trials that
/// were interrupted (run again, with the same ids and parameters, so their checkpoints are found again).
/// </summary>
internal sealed record StudyResume(string JobId, RunFolder Folder, HyperparameterTuningJob Saved, IReadOnlyList<Trial> Kept, IReadOnlyList<Trial> Rerun)
{
    // TuningRun's words for trials it stopped because the job ended: they did not finish.

    /// <summary>The id the next new trial gets: after every id the study has used.</summary>
    public int LastTrialId => Saved.Trials!.Select(t => int.TryParse(t.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max();

    /// <summary>Reads the job to continue and checks that the project still describes the same study.</summary>
    /// <exception cref="LocalRunException">The job cannot be continued: VTX5014, VTX5050, VTX5051 or VTX5052, with why.</exception>
    public static StudyResume Prepare(string reference, HyperparameterTuningJob? now, LocalJobStore store)
    {
        if (!LocalJobName.TryParse(reference, out var id))
        {
            throw Refused(DiagnosticCodes.ResumeNotPossible,
                $"--resume (VertexResume) is '{reference}'; it takes a local job name, local/<id>, as local-run printed it (dotnet vertex list shows them).");
        }

        var record = store.Find(LocalJobName.ToName(id))
            ?? throw new LocalRunException(DiagnosticCodes.LocalJobNotFound,
                $"There is no local job {LocalJobName.ToName(id)} in the index {store.IndexDirectory}.", isConfigurationError: true);
        var snapshot = record.Read();
        if (snapshot.TuningJob is not { } saved)
        {
            throw Refused(DiagnosticCodes.ResumeNotPossible,
                $"{record.Name} is a CustomJob; only tuning jobs (HyperparameterTuningJob) can be continued. Run the job again instead.");
        }

        if (now is null)
        {
            throw Refused(DiagnosticCodes.ResumeNotPossible,
                $"{record.Name} is a tuning job, but the project now describes a CustomJob (no VertexHyperparameter items); declare the same hyperparameters to continue it.");
        }

        if (snapshot.State is LocalJobStates.Running or LocalJobStates.Pending)
        {
            throw Refused(DiagnosticCodes.ResumeJobStillRunning,
                $"{record.Name} is still {snapshot.State} (its runner is alive); wait for it or cancel it (dotnet vertex cancel {record.Name}) before continuing it.");
        }

        if (Differences(saved.StudySpec, now.StudySpec) is { Count: > 0 } differences)
        {
            throw Refused(DiagnosticCodes.ResumeStudyMismatch,
                $"{record.Name} cannot be continued: its study differs from the project's ({string.Join("; ", differences)}). " +
                "Its trials were measured in the saved study, so continuing would mix two studies; restore the saved values, " +
                "or start a new study (without VertexResume).");
        }

        var trials = saved.Trials ?? [];
        var kept = trials.Where(Finished).ToList();
        var rerun = trials.Where(t => !Finished(t)).ToList();
        return new StudyResume(id, record.Folder, saved, kept, rerun);
    }

    /// <summary>Whether a trial ran to an end of its own: succeeded, or failed or reported nothing (not stopped because the job ended).</summary>
    private static bool Finished(Trial trial) =>
        trial.State == LocalJobStates.TrialSucceeded
        || (trial.State == LocalJobStates.TrialInfeasible && trial.InfeasibleReason?.StartsWith(Cloud.TrialReport.StoppedWithTheJobPrefix, StringComparison.Ordinal) != true);

    /// <summary>
    /// How the project's study differs from the saved one where it matters to measured trials: the metrics, the
    /// parameters (added, removed, or with other ranges or values) and the algorithm. Trial counts, the stopping rule
    /// and the trial job spec may change.
    /// </summary>
    public static List<string> Differences(StudySpec? saved, StudySpec? now)
    {
        var differences = new List<string>();
        if (!SameJson(saved?.Metrics, now?.Metrics))
        {
            differences.Add($"metrics were {Describe(saved?.Metrics)}, now {Describe(now?.Metrics)}");
        }

        var before = (saved?.Parameters ?? []).ToDictionary(p => p.ParameterId, StringComparer.Ordinal);
        var after = (now?.Parameters ?? []).ToDictionary(p => p.ParameterId, StringComparer.Ordinal);
        differences.AddRange(after.Keys.Where(k => !before.ContainsKey(k)).Select(k => $"parameter '{k}' was added"));
        differences.AddRange(before.Keys.Where(k => !after.ContainsKey(k)).Select(k => $"parameter '{k}' was removed"));
        differences.AddRange(before.Keys.Where(after.ContainsKey).Where(k => !SameJson(before[k], after[k]))
            .Select(k => $"parameter '{k}' was {VertexJson.Serialize(before[k])}, now {VertexJson.Serialize(after[k])}"));
        if ((saved?.Algorithm ?? "") != (now?.Algorithm ?? ""))
        {
            differences.Add($"the algorithm was {saved?.Algorithm ?? "Default"}, now {now?.Algorithm ?? "Default"}");
        }

        return differences;
    }

    private static bool SameJson<T>(T? a, T? b) =>
        JsonNode.DeepEquals(JsonNode.Parse(VertexJson.Serialize(a)), JsonNode.Parse(VertexJson.Serialize(b)));

    private static string Describe(List<MetricSpec>? metrics) =>
        metrics is null ? "none" : string.Join(", ", metrics.Select(m => $"{m.MetricId} ({m.Goal})"));

    private static LocalRunException Refused(string code, string message) => new(code, message, isConfigurationError: true);
}
