using System.Globalization;
using System.Text.Json.Nodes;

namespace VertexTraining.Core.Reporting;

/// <summary>A chart of the report as a plotly.js figure.</summary>
/// <param name="Id">The element id (<c>chart-history</c>, <c>chart-slice-lr</c>, ...).</param>
/// <param name="Section">The section it belongs to (<c>history</c>, <c>slices</c>, <c>parallel</c>, <c>learning-curves</c>, <c>scalars</c>).</param>
/// <param name="Title">The chart's title.</param>
/// <param name="Figure">The figure: <c>{"data": [...], "layout": {...}}</c>.</param>
/// <param name="Points">How many points (markers; lines for parallel coordinates) it draws.</param>
public sealed record ReportChart(string Id, string Section, string Title, JsonObject Figure, int Points);

/// <summary>
/// Turns a <see cref="JobReport"/> into plotly.js figures, the charts Optuna's visualization module draws for a
/// study: optimization history, one slice per parameter, parallel coordinates, intermediate values; plus every
/// TensorBoard scalar curve.
/// </summary>
public static class ReportCharts
{
    /// <summary>The charts of <paramref name="report"/>, in page order.</summary>
    public static IReadOnlyList<ReportChart> Of(JobReport report)
    {
        var charts = new List<ReportChart>();
        if (report.Tuning is { } tuning)
        {
            var scored = tuning.Trials.Rows.Where(r => r.MetricValue is not null && double.IsFinite(r.MetricValue.Value)).ToList();
            charts.Add(History(tuning, scored));
            charts.AddRange(tuning.Parameters.Select(p => Slice(tuning, scored, p)));
            if (tuning.Parameters.Count > 0 && ParallelCoordinates(tuning, scored) is { } parallel)
            {
                charts.Add(parallel);
            }

            if (tuning.LearningCurves.Curves.Count > 0)
            {
                charts.Add(Curves("chart-learning-curves", "learning-curves", $"Intermediate values of {tuning.Trials.MetricId}", tuning.LearningCurves));
            }
        }

        charts.AddRange(report.ScalarCharts.Select((chart, i) =>
            Curves(string.Create(CultureInfo.InvariantCulture, $"chart-scalar-{i + 1}"), "scalars", chart.Title, chart)));
        return charts;
    }

    private static ReportChart History(TuningReportPart tuning, List<Cloud.TrialRow> scored)
    {
        var maximize = tuning.Trials.Goal == "MAXIMIZE";
        var bestSoFar = new List<double>();
        foreach (var row in scored)
        {
            var value = row.MetricValue!.Value;
            bestSoFar.Add(bestSoFar.Count == 0 ? value : maximize ? Math.Max(bestSoFar[^1], value) : Math.Min(bestSoFar[^1], value));
        }

        var x = Array(scored.Select(r => TrialNumber(r.Id)));
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = tuning.Trials.MetricId,
                ["x"] = x, ["y"] = Array(scored.Select(r => Number(r.MetricValue!.Value))),
                ["text"] = Array(scored.Select(r => (JsonNode?)$"trial {r.Id}{(r.IsBest ? " (best)" : "")}")),
                ["marker"] = new JsonObject
                {
                    ["size"] = Array(scored.Select(r => (JsonNode?)(r.IsBest ? 14 : 9))),
                    ["symbol"] = Array(scored.Select(r => (JsonNode?)(r.IsBest ? "star" : "circle"))),
                },
            },
            new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = "best so far", ["line"] = new JsonObject { ["shape"] = "hv" },
                ["x"] = x.DeepClone(), ["y"] = Array(bestSoFar.Select(Number)),
            },
        };
        return new ReportChart("chart-history", "history", "Optimization history", Figure(data, "trial", tuning.Trials.MetricId), scored.Count);
    }

    private static ReportChart Slice(TuningReportPart tuning, List<Cloud.TrialRow> scored, ReportParameter parameter)
    {
        var points = scored
            .Where(r => tuning.ParameterValues.TryGetValue(r.Id, out var values) && values.ContainsKey(parameter.Id))
            .Select(r => (Row: r, Value: tuning.ParameterValues[r.Id][parameter.Id]))
            .ToList();
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = parameter.Id,
                ["x"] = Array(points.Select(p => p.Value is double d ? Number(d) : JsonValue.Create((string)p.Value))),
                ["y"] = Array(points.Select(p => Number(p.Row.MetricValue!.Value))),
                ["text"] = Array(points.Select(p => (JsonNode?)$"trial {p.Row.Id}")),
                ["marker"] = new JsonObject
                {
                    ["color"] = Array(points.Select(p => TrialNumber(p.Row.Id))),
                    ["colorscale"] = "Blues", ["showscale"] = true, ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "trial" } },
                    ["size"] = 9,
                },
            },
        };
        var figure = Figure(data, parameter.Id + (parameter.IsLog ? " (log scale)" : ""), tuning.Trials.MetricId);
        figure["layout"]!["xaxis"]!["type"] = parameter.IsLog ? "log" : parameter.Categories is not null ? "category" : "linear";
        return new ReportChart($"chart-slice-{parameter.Id}", "slices", parameter.Id, figure, points.Count);
    }

    // Trials missing a parameter (conditional ones) have no line to draw through every axis; they are left out.
    private static ReportChart? ParallelCoordinates(TuningReportPart tuning, List<Cloud.TrialRow> scored)
    {
        var rows = scored.Where(r => tuning.ParameterValues.TryGetValue(r.Id, out var values) && tuning.Parameters.All(p => values.ContainsKey(p.Id))).ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var dimensions = new JsonArray();
        foreach (var parameter in tuning.Parameters)
        {
            var values = rows.Select(r => tuning.ParameterValues[r.Id][parameter.Id]).ToList();
            if (values.Any(v => v is string))
            {
                var categories = parameter.Categories ?? [.. values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)!).Distinct()];
                dimensions.Add(new JsonObject
                {
                    ["label"] = parameter.Id,
                    ["values"] = Array(values.Select(v => (JsonNode?)Math.Max(0, IndexOf(categories, Convert.ToString(v, CultureInfo.InvariantCulture)!)))),
                    ["tickvals"] = Array(categories.Select((_, i) => (JsonNode?)i)),
                    ["ticktext"] = Array(categories.Select(c => (JsonNode?)c)),
                });
            }
            else if (parameter.IsLog)
            {
                // parcoords has no log axis: the log10 of the value, labelled as such.
                dimensions.Add(new JsonObject { ["label"] = $"log10({parameter.Id})", ["values"] = Array(values.Select(v => Number(Math.Log10((double)v)))) });
            }
            else
            {
                dimensions.Add(new JsonObject { ["label"] = parameter.Id, ["values"] = Array(values.Select(v => Number((double)v))) });
            }
        }

        var objective = Array(rows.Select(r => Number(r.MetricValue!.Value)));
        dimensions.Add(new JsonObject { ["label"] = tuning.Trials.MetricId, ["values"] = objective });
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "parcoords", ["dimensions"] = dimensions,
                ["line"] = new JsonObject { ["color"] = objective.DeepClone(), ["colorscale"] = "Viridis", ["showscale"] = true },
            },
        };
        var figure = new JsonObject { ["data"] = data, ["layout"] = new JsonObject { ["margin"] = new JsonObject { ["l"] = 80, ["r"] = 80, ["t"] = 60, ["b"] = 30 } } };
        return new ReportChart("chart-parallel", "parallel", "Parallel coordinates", figure, rows.Count);
    }

    private static ReportChart Curves(string id, string section, string title, ReportCurveChart chart)
    {
        var data = new JsonArray();
        foreach (var curve in chart.Curves)
        {
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = curve.Name,
                ["x"] = Array(curve.Steps.Select(s => (JsonNode?)s)),
                ["y"] = Array(curve.Values.Select(Number)),
            });
        }

        return new ReportChart(id, section, title, Figure(data, "step", title), chart.Curves.Sum(c => c.Steps.Count));
    }

    private static JsonObject Figure(JsonArray data, string xTitle, string yTitle) => new()
    {
        ["data"] = data,
        ["layout"] = new JsonObject
        {
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle } },
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 20, ["t"] = 20, ["b"] = 50 },
            ["hovermode"] = "closest",
        },
    };

    private static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);

    // JSON has no NaN or infinity; plotly leaves a gap for null.
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static JsonNode? TrialNumber(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(id);

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        return -1;
    }
}
