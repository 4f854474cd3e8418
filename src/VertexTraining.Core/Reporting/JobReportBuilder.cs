using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Local;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Reporting;

/// <summary>Builds the <see cref="JobReport"/> of a local run (its run folder) or of a cloud job (as the API returned it).</summary>
public static class JobReportBuilder
{
    // Fields the service sets; what remains of a resource is the request that created it.
    private static readonly string[] OutputOnlyFields = ["name", "state", "createTime", "startTime", "endTime", "updateTime", "error", "trials", "webAccessUris"];

    /// <summary>The report of a local job: job.json, job-request.json and the event files of its run folder.</summary>
    public static JobReport ForLocal(LocalJobSnapshot snapshot)
    {
        var folder = snapshot.Record.Folder;
        var document = File.Exists(folder.RequestFile) ? File.ReadAllText(folder.RequestFile) : snapshot.ToJson();
        var tuning = snapshot.TuningJob;

        // Where a replica's AIP_TENSORBOARD_LOG_DIR points in the run folder (null: the custom job's own).
        string LogsOf(string? trialId) => Path.Combine(folder.OutputsDirectory(trialId), "logs");
        var scalars = tuning is null
            ? ScalarChartsOfCustomJob(ScalarEventReader.ReadDirectory(LogsOf(null)))
            : ScalarChartsOfTrials((tuning.Trials ?? []).Select(t => t.Id ?? "").Where(id => id.Length > 0)
                .Select(id => (id, ScalarEventReader.ReadDirectory(LogsOf(id)))));
        return Build(snapshot.Name, snapshot.CustomJob, tuning, document,
            [
                $"dotnet vertex local-run --request {Quote(folder.RequestFile)} --app PUBLISHED_APP   (or --image IMAGE, as the first run)",
                "dotnet publish -t:SubmitTraining -p:VertexTarget=Local   (in the project: builds the image again)",
            ],
            [new ReportFact("Run folder", folder.Root)],
            scalars,
            scalars.Count == 0
                ? $"The run wrote no TensorBoard scalars (TensorBoardLog.Scalar or HyperTune.Report write them under AIP_TENSORBOARD_LOG_DIR, {(tuning is null ? "outputs/logs/" : "trials/<id>/outputs/logs/")} in the run folder)."
                : $"Read from the TensorBoard event files in the run folder; `tensorboard --logdir {Quote(tuning is null ? LogsOf(null) : Path.Combine(folder.Root, "trials"))}` shows the same curves.");
    }

    /// <summary>The report of a cloud job read with get (a tuning job's trials carry their measurements).</summary>
    public static JobReport ForCloud(VertexJob job, string? projectId = null)
    {
        var request = job.Resource.DeepClone().AsObject();
        foreach (var field in OutputOnlyFields)
        {
            request.Remove(field);
        }

        var spec = job.CustomJob?.JobSpec ?? job.TuningJob?.TrialJobSpec;
        var logs = spec?.BaseOutputDirectory?.OutputUriPrefix is { Length: > 0 } prefix
            ? prefix.TrimEnd('/') + (job.TuningJob is null ? "/logs/" : "/<trial id>/logs/")
            : null;
        var note = (spec?.Tensorboard, logs) switch
        {
            ({ Length: > 0 } board, _) => $"The job's TensorBoard scalars are in Vertex TensorBoard ({board}); this report draws the intermediate measurements Vertex AI keeps.",
            (_, { } path) => $"The job's TensorBoard event files are under {path}: `tensorboard --logdir {path.Replace("<trial id>/logs/", "", StringComparison.Ordinal)}` shows them (or set VertexTensorboard).",
            _ => "The job had no base output directory, so it wrote no TensorBoard event files (set VertexBaseOutputDirectory, and VertexTensorboard for Vertex TensorBoard).",
        };
        return Build(job.Name.ToString(), job.CustomJob, job.TuningJob, request.ToJsonString(VertexJson.Options),
            ["dotnet vertex submit --request job-request.json   (the job document below, saved as job-request.json: the same image, by digest)"],
            [new ReportFact("Console", ConsoleUrls.ForJob(job.Name, projectId))],
            [],
            note);
    }

    private static JobReport Build(string name, CustomJob? custom, HyperparameterTuningJob? tuning, string document,
        IReadOnlyList<string> reproduce, IReadOnlyList<ReportFact> where, IReadOnlyList<ReportCurveChart> scalars, string? scalarNote)
    {
        var spec = custom?.JobSpec ?? tuning?.TrialJobSpec;
        var created = VertexJob.ParseTime(custom?.CreateTime ?? tuning?.CreateTime);
        var started = VertexJob.ParseTime(custom?.StartTime ?? tuning?.StartTime);
        var ended = VertexJob.ParseTime(custom?.EndTime ?? tuning?.EndTime);
        var facts = new List<ReportFact>
        {
            new("Job", name),
            new("Kind", tuning is null ? "Custom job" : "Hyperparameter tuning job"),
            new("State", custom?.State ?? tuning?.State ?? JobStates.Unspecified),
            new("Created", Time(created)),
            new("Started", Time(started)),
            new("Ended", Time(ended)),
            new("Duration", started is { } s && ended is { } e && e >= s ? TrialReport.FormatDuration(e - s) : ""),
        };
        facts.AddRange(MachineShape(spec));
        facts.AddRange(Images(spec));
        if (tuning?.StudySpec is { } study)
        {
            var metric = study.Metrics?.FirstOrDefault();
            facts.Add(new ReportFact("Study", string.Create(CultureInfo.InvariantCulture,
                $"{metric?.MetricId} ({metric?.Goal}), {Local.Search.SearchAlgorithms.Describe(study.Algorithm)}, {study.MeasurementSelectionType ?? "LAST_MEASUREMENT"}; up to {tuning.MaxTrialCount} trials, {tuning.ParallelTrialCount ?? 1} at a time, {tuning.MaxFailedTrialCount ?? 0} failures allowed")));
        }

        facts.AddRange(where);
        return new JobReport
        {
            Name = name,
            Title = custom?.DisplayName ?? tuning?.DisplayName ?? name,
            State = custom?.State ?? tuning?.State ?? JobStates.Unspecified,
            Facts = [.. facts.Where(f => f.Value.Length > 0)],
            Error = (custom?.Error ?? tuning?.Error)?.Message,
            Reproduce = reproduce,
            JobDocument = document,
            Tuning = tuning is null ? null : TuningPart(tuning),
            ScalarCharts = scalars,
            ScalarNote = scalarNote,
        };
    }

    private static TuningReportPart TuningPart(HyperparameterTuningJob job)
    {
        var trials = TrialReport.From(job);
        var parameters = Flatten(job.StudySpec?.Parameters ?? [])
            .Select(p => new ReportParameter(p.ParameterId, p.ScaleType == "UNIT_LOG_SCALE", p.CategoricalValueSpec?.Values))
            .DistinctBy(p => p.Id)
            .ToList();
        var byId = (job.Trials ?? []).Where(t => t.Id is not null).ToDictionary(t => t.Id!);
        var values = byId.ToDictionary(
            t => t.Key,
            t => (IReadOnlyDictionary<string, object>)(t.Value.Parameters ?? []).ToDictionary(p => p.ParameterId, p => ParameterValue(p.Value)));
        var curves = trials.Rows
            .Select(row => (row.Id, Measurements: byId.TryGetValue(row.Id, out var trial) ? trial.Measurements : null))
            .Select(x => (x.Id, Points: (x.Measurements ?? [])
                .Select(m => (Step: m.StepCount ?? 0, Value: m.Metrics?.FirstOrDefault(v => v.MetricId == trials.MetricId)?.Value))
                .Where(p => p.Value is not null)
                .ToList()))
            .Where(x => x.Points.Count > 0)
            .Select(x => new ReportCurve($"trial {x.Id}", [.. x.Points.Select(p => p.Step)], [.. x.Points.Select(p => p.Value!.Value)]))
            .ToList();
        return new TuningReportPart(trials, parameters, values, new ReportCurveChart(trials.MetricId, curves));
    }

    private static IEnumerable<ParameterSpec> Flatten(IEnumerable<ParameterSpec> parameters) =>
        parameters.SelectMany(p => new[] { p }.Concat(Flatten((p.ConditionalParameterSpecs ?? []).Select(c => c.ParameterSpec).OfType<ParameterSpec>())));

    private static object ParameterValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && !double.IsNaN(n) => n,
        _ => TrialReport.FormatValue(value),
    };

    private static List<ReportCurveChart> ScalarChartsOfCustomJob(IReadOnlyList<ScalarPoint> points) =>
        [.. points.GroupBy(p => p.Tag, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReportCurveChart(g.Key, [Curve(g.Key, [.. g])]))];

    private static List<ReportCurveChart> ScalarChartsOfTrials(IEnumerable<(string TrialId, IReadOnlyList<ScalarPoint> Points)> trials)
    {
        var byTag = new SortedDictionary<string, List<ReportCurve>>(StringComparer.Ordinal);
        foreach (var (trialId, points) in trials)
        {
            foreach (var tag in points.GroupBy(p => p.Tag, StringComparer.Ordinal))
            {
                if (!byTag.TryGetValue(tag.Key, out var curves))
                {
                    byTag[tag.Key] = curves = [];
                }

                curves.Add(Curve($"trial {trialId}", [.. tag]));
            }
        }

        return [.. byTag.Select(t => new ReportCurveChart(t.Key, t.Value))];
    }

    // By step; points of one step keep file order (a restarted replica writes its steps again).
    private static ReportCurve Curve(string name, List<ScalarPoint> points)
    {
        var ordered = points.OrderBy(p => p.Step).ToList();
        return new ReportCurve(name, [.. ordered.Select(p => p.Step)], [.. ordered.Select(p => p.Value)]);
    }

    private static IEnumerable<ReportFact> MachineShape(CustomJobSpec? spec)
    {
        var pools = spec?.WorkerPoolSpecs ?? [];
        for (var i = 0; i < pools.Count; i++)
        {
            if (pools[i].MachineSpec is not { } machine)
            {
                continue;
            }

            var accelerator = machine.AcceleratorType is { Length: > 0 } type
                ? string.Create(CultureInfo.InvariantCulture, $" + {machine.AcceleratorCount ?? 1} × {type}")
                : "";
            yield return new ReportFact(string.Create(CultureInfo.InvariantCulture, $"Machines (workerpool{i})"),
                string.Create(CultureInfo.InvariantCulture, $"{pools[i].ReplicaCount ?? 1} × {machine.MachineType}{accelerator}"));
        }
    }

    private static IEnumerable<ReportFact> Images(CustomJobSpec? spec)
    {
        var images = (spec?.WorkerPoolSpecs ?? []).Select(p => p.ContainerSpec?.ImageUri).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < images.Count; i++)
        {
            var label = images.Count == 1 ? "Image" : string.Create(CultureInfo.InvariantCulture, $"Image {i + 1}");
            yield return new ReportFact(label, images[i]);
            var at = images[i].IndexOf("@sha256:", StringComparison.Ordinal);
            yield return new ReportFact(label + " digest",
                at >= 0 ? images[i][(at + 1)..] : "not pinned by digest (a tag can move: the same job may not run the same code)");
        }
    }

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "";

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
