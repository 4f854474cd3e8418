using System.Globalization;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Core.Local;

/// <summary>
/// The trials of earlier studies, local or cloud (<c>VertexTuningWarmStart</c>, <c>--warm-start</c>), that seed a
/// new local study's search: each succeeded trial whose parameters fit this study's space becomes an observation the
/// search models from its first suggestion. They are not trials of the new study and count against nothing.
/// </summary>
internal static class StudyWarmStart
{
    private const string ResourceKind = "/hyperparameterTuningJobs/";

    /// <summary>Reads the earlier studies and keeps the trials that fit; says what was used and what was not, and why.</summary>
    /// <exception cref="LocalRunException">An entry is not a local tuning job, or optimises another metric (VTX5014, VTX5053, VTX5054).</exception>
    public static List<Observation> Load(WarmStartSource source, StudySpec study, SearchSpace space, RunOutput output)
    {
        var metric = study.Metrics?.FirstOrDefault();
        var observations = new List<Observation>();
        foreach (var reference in source.References)
        {
            var (name, earlier) = Read(reference, source);
            var earlierMetric = earlier.StudySpec?.Metrics?.FirstOrDefault();
            if (earlierMetric?.MetricId != metric?.MetricId || !string.Equals(earlierMetric?.Goal, metric?.Goal, StringComparison.OrdinalIgnoreCase))
            {
                throw Refused(DiagnosticCodes.WarmStartMetricMismatch,
                    $"VertexTuningWarmStart: {name} optimised '{earlierMetric?.MetricId}' ({earlierMetric?.Goal}), this study '{metric?.MetricId}' ({metric?.Goal}); its values would mislead the search. Warm-start only from studies of the same metric and goal.");
            }

            var (used, skipped) = (0, new List<string>());
            foreach (var trial in earlier.Trials ?? [])
            {
                if (trial.State != LocalJobStates.TrialSucceeded || trial.FinalMeasurement?.Metrics?.FirstOrDefault(m => m.MetricId == metric!.MetricId)?.Value is not { } value)
                {
                    continue;
                }

                if (Misfit(trial, space) is { } why)
                {
                    skipped.Add($"trial {trial.Id}: {why}");
                    continue;
                }

                observations.Add(new Observation(TrialAssignment.Of(trial), value));
                used++;
            }

            output.Info(string.Create(CultureInfo.InvariantCulture,
                $"warm start: {used} trial{(used == 1 ? "" : "s")} of {name} seed the search{(skipped.Count > 0 ? $"; {skipped.Count} do not fit this study's parameters ({string.Join("; ", skipped.Take(3))}{(skipped.Count > 3 ? "; ..." : "")})" : "")}"));
        }

        return observations;
    }

    // A cloud study the caller read through the API, or a local one from the index.
    private static (string Name, HyperparameterTuningJob Job) Read(string reference, WarmStartSource source)
    {
        if (source.CloudJobs.TryGetValue(reference, out var cloud))
        {
            return (reference.Trim(), cloud);
        }

        if (!LocalJobName.IsLocal(reference) || !LocalJobName.TryParse(reference, out var id))
        {
            throw Refused(DiagnosticCodes.WarmStartNotPossible, reference.Contains(ResourceKind, StringComparison.Ordinal)
                ? $"VertexTuningWarmStart (--warm-start) has '{reference}', a cloud HyperparameterTuningJob that could not be read here."
                : $"VertexTuningWarmStart (--warm-start) has '{reference}'; it takes earlier local studies, local/<id> (dotnet vertex list --local shows them), or cloud HyperparameterTuningJob names, projects/<project>/locations/<region>/hyperparameterTuningJobs/<id>.");
        }

        var record = source.Store.Find(LocalJobName.ToName(id))
            ?? throw new LocalRunException(DiagnosticCodes.LocalJobNotFound,
                $"VertexTuningWarmStart: there is no local job {LocalJobName.ToName(id)} in the index {source.Store.IndexDirectory}.", isConfigurationError: true);
        var job = record.Read().TuningJob ?? throw Refused(DiagnosticCodes.WarmStartNotPossible,
            $"VertexTuningWarmStart: {record.Name} is a CustomJob; only tuning jobs have trials to learn from.");
        return (record.Name, job);
    }

    // Why a trial's parameters are not a point of this space: a parameter it does not have, has no longer, or a value
    // outside the range or values declared now.
    private static string? Misfit(Trial trial, SearchSpace space)
    {
        var assignment = TrialAssignment.Of(trial);
        foreach (var (id, value) in assignment.Values)
        {
            var parameter = space.Parameters.FirstOrDefault(p => p.Id == id);
            if (parameter is null)
            {
                return $"parameter '{id}' is not in this study";
            }

            var fits = parameter.Kind switch
            {
                ParameterKind.Categorical => value.IsCategory && parameter.Categories.Contains(value.Category!),
                ParameterKind.Discrete => !value.IsCategory && parameter.DiscreteValues.Contains(value.Number),
                _ => !value.IsCategory && value.Number >= parameter.Min && value.Number <= parameter.Max,
            };
            if (!fits)
            {
                return $"{id}={value} is outside what '{id}' takes now";
            }
        }

        return space.Parameters.FirstOrDefault(p => p.IsActiveIn(assignment) && !assignment.TryGet(p.Id, out _)) is { } missing
            ? $"it has no value of '{missing.Id}'"
            : null;
    }

    private static LocalRunException Refused(string code, string message) => new(code, message, isConfigurationError: true);
}

/// <summary>Where warm-start studies come from: their names, the cloud ones already read (by name), the local index.</summary>
internal sealed record WarmStartSource(IReadOnlyList<string> References, IReadOnlyDictionary<string, HyperparameterTuningJob> CloudJobs, LocalJobStore Store);

/// <summary>A recorded trial's parameters as the search algorithms see them.</summary>
internal static class TrialAssignment
{
    public static ParameterAssignment Of(Trial trial) => new(
        (trial.Parameters ?? []).Select(p => new KeyValuePair<string, ParameterValue>(p.ParameterId,
            p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? ParameterValue.Of(p.Value.GetString()!) : ParameterValue.Of(p.Value.GetDouble()))));
}
