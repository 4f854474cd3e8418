using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VertexTraining.Core.Reporting;

/// <summary>The plotting library the report embeds: its minified source, version and licence.</summary>
/// <param name="Script">plotly.min.js.</param>
/// <param name="Version">Its version, stated in the page.</param>
/// <param name="License">Its licence, stated in the page.</param>
public sealed record EmbeddedPlotly(string Script, string Version, string License);

/// <summary>
/// Writes a <see cref="JobReport"/> as one HTML file that works offline: styles, data and plotly.js are inside it,
/// and nothing is fetched from the network.
/// </summary>
/// <remarks>
/// The page records script errors (<c>window.onerror</c>, rejected promises, a chart that throws) in
/// <c>#script-errors</c>, and after drawing sets on each chart element <c>data-rendered-points</c> (marker elements
/// plotly drew; lines for parallel coordinates) beside <c>data-expected-points</c>, and <c>data-report-ready</c> on
/// the body, so a headless browser's DOM tells whether the report drew what it should.
/// </remarks>
public static class HtmlReportWriter
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>Writes the page.</summary>
    public static void Write(JobReport report, EmbeddedPlotly plotly, TextWriter output)
    {
        var charts = ReportCharts.Of(report);
        var html = new StringBuilder(plotly.Script.Length + 64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(report.Title)).Append(" — ").Append(E(report.State)).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n")
            .Append("<script>").Append(ErrorCollector).Append("</script>\n")
            .Append("<!-- plotly.js ").Append(E(plotly.Version)).Append(" (").Append(E(plotly.License)).Append("), embedded so the page needs no network -->\n")
            .Append("<script>").Append(plotly.Script).Append("</script>\n")
            .Append("</head>\n<body>\n<pre id=\"script-errors\"></pre>\n");

        Header(report, html);
        if (report.Tuning is { } tuning)
        {
            TrialTable(tuning, html);
            Section(html, "history", "Optimization history", "The study metric of every trial that reported it, and the best value so far.", charts);
            Section(html, "slices", "Slices", "The metric against each parameter (log axis for log-scaled ones); colour is the trial number.", charts);
            Section(html, "parallel", "Parallel coordinates", "Each line is a trial with a metric value, through its parameters to the metric.", charts);
            Section(html, "learning-curves", "Intermediate values",
                "The learning curve of every trial: the values it reported with HyperTune.Report at each step.", charts,
                empty: "No trial reported intermediate values.");
            html.Append("<section id=\"importance\"><h2>Parameter importance</h2><p class=\"note\">Not shown: an honest importance "
                + "(Optuna's fANOVA or mean decrease in impurity) fits a model over the trials, and this report does not "
                + "fit one; with ").Append(tuning.Trials.Counts.Succeeded.ToString(CultureInfo.InvariantCulture))
                .Append(" succeeded trials any ranking would be mostly noise. Read the slices instead.</p></section>\n");
        }

        Section(html, "scalars", report.Tuning is null ? "Scalars" : "TensorBoard scalars",
            report.ScalarNote ?? "", charts, empty: null);

        html.Append("<footer>Generated ").Append(E(report.Generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)))
            .Append(" by <code>dotnet vertex report</code>. Charts: plotly.js ").Append(E(plotly.Version)).Append(", ").Append(E(plotly.License))
            .Append(" licence, embedded.</footer>\n");

        var figures = new JsonArray([.. charts.Select(c => (JsonNode?)new JsonObject { ["id"] = c.Id, ["figure"] = c.Figure.DeepClone() })]);

        // The default encoder escapes <, > and &, so no "</script>" can end this element early.
        html.Append("<script type=\"application/json\" id=\"report-charts\">").Append(figures.ToJsonString(Compact)).Append("</script>\n")
            .Append("<script>").Append(Renderer).Append("</script>\n</body>\n</html>\n");
        output.Write(html); // the page holds the ~5 MB script: no extra string copy
    }

    private static void Header(JobReport report, StringBuilder html)
    {
        html.Append("<header><h1>").Append(E(report.Title)).Append("</h1> <span class=\"state state-").Append(E(report.State)).Append("\">")
            .Append(E(report.State)).Append("</span></header>\n<section id=\"facts\"><table class=\"facts\">\n");
        foreach (var fact in report.Facts)
        {
            html.Append("<tr><th>").Append(E(fact.Label)).Append("</th><td>").Append(E(fact.Value)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        if (report.Error is { Length: > 0 } error)
        {
            html.Append("<p class=\"error\">").Append(E(error)).Append("</p>\n");
        }

        html.Append("<h3>Reproduce</h3>\n<pre class=\"reproduce\">");
        html.Append(E(string.Join("\n", report.Reproduce)));
        html.Append("</pre>\n<details><summary>Job document (job-request.json)</summary><pre>").Append(E(Indented(report.JobDocument)))
            .Append("</pre></details>\n</section>\n");
    }

    private static void TrialTable(TuningReportPart tuning, StringBuilder html)
    {
        var trials = tuning.Trials;
        html.Append("<section id=\"trials\"><h2>Trials</h2>\n<p>").Append(E(trials.DescribeBest())).Append(". Trials: ")
            .Append(E(trials.Counts.ToString())).Append(". Click a column to sort.</p>\n")
            .Append("<table id=\"trial-table\" class=\"sortable\"><thead><tr>")
            .Append("<th data-type=\"text\">best</th><th data-type=\"number\">trial</th><th data-type=\"text\">state</th><th data-type=\"number\">")
            .Append(E(trials.MetricId)).Append("</th><th data-type=\"number\">duration</th>");
        foreach (var parameter in tuning.Parameters)
        {
            html.Append("<th data-type=\"").Append(parameter.Categories is null ? "number" : "text").Append("\">")
                .Append(E(parameter.Id)).Append("</th>");
        }

        html.Append("<th data-type=\"text\">note</th></tr></thead>\n<tbody>\n");
        foreach (var row in trials.Rows)
        {
            var values = tuning.ParameterValues.GetValueOrDefault(row.Id) ?? new Dictionary<string, object>();
            html.Append("<tr").Append(row.IsBest ? " class=\"best\"" : "").Append(" data-trial=\"").Append(E(row.Id)).Append("\">")
                .Append("<td>").Append(row.IsBest ? "★" : "").Append("</td>")
                .Append(Cell(row.Id, row.Id))
                .Append("<td class=\"state state-").Append(E(row.State)).Append("\">").Append(E(row.State)).Append("</td>")
                .Append(Cell(Cloud.TrialReport.FormatNumber(row.MetricValue), row.MetricValue?.ToString("R", CultureInfo.InvariantCulture) ?? ""))
                .Append(Cell(Cloud.TrialReport.FormatDuration(row.Duration), row.Duration?.TotalSeconds.ToString("R", CultureInfo.InvariantCulture) ?? ""));
            foreach (var parameter in tuning.Parameters)
            {
                var value = values.GetValueOrDefault(parameter.Id);
                html.Append(value is double d
                    ? Cell(d.ToString("G6", CultureInfo.InvariantCulture), d.ToString("R", CultureInfo.InvariantCulture))
                    : Cell(value?.ToString() ?? "", value?.ToString() ?? ""));
            }

            html.Append("<td class=\"note\">").Append(E(row.Note)).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static string Cell(string text, string sortValue) =>
        $"<td data-sort=\"{E(sortValue)}\">{E(text)}</td>";

    private static void Section(StringBuilder html, string section, string title, string note, IReadOnlyList<ReportChart> charts, string? empty = null)
    {
        var mine = charts.Where(c => c.Section == section).ToList();
        if (mine.Count == 0 && empty is null && note.Length == 0)
        {
            return;
        }

        html.Append("<section id=\"").Append(section).Append("\"><h2>").Append(E(title)).Append("</h2>\n");
        if (note.Length > 0)
        {
            html.Append("<p class=\"note\">").Append(E(note)).Append("</p>\n");
        }

        if (mine.Count == 0 && empty is not null)
        {
            html.Append("<p class=\"note\">").Append(E(empty)).Append("</p>\n");
        }

        html.Append("<div class=\"charts\">\n");
        foreach (var chart in mine)
        {
            // A section of one chart already carries its title.
            html.Append("<figure>").Append(chart.Title == title ? "" : $"<figcaption>{E(chart.Title)}</figcaption>").Append("<div class=\"chart\" id=\"").Append(E(chart.Id))
                .Append("\" data-expected-points=\"").Append(chart.Points.ToString(CultureInfo.InvariantCulture)).Append("\"></div></figure>\n");
        }

        html.Append("</div></section>\n");
    }

    private static string Indented(string json)
    {
        try
        {
            return JsonNode.Parse(json)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    // Only the five characters HTML gives meaning to: the page is UTF-8, so names and × stay readable in the source.
    private static string E(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#1f2328;padding:0 16px}
        header{display:flex;align-items:center;gap:12px}h1{font-size:22px;margin:0}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
        .state{font-size:12px;font-weight:600;padding:2px 8px;border-radius:10px;background:#eaeef2}
        .state-JOB_STATE_SUCCEEDED,.state-SUCCEEDED{background:#dafbe1;color:#1a7f37}.state-JOB_STATE_FAILED,.state-INFEASIBLE{background:#ffebe9;color:#cf222e}
        table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #eaeef2;vertical-align:top}
        table.facts th{color:#57606a;font-weight:500}table.sortable th{cursor:pointer;background:#f6f8fa;user-select:none}
        table.sortable th.sorted-asc::after{content:" ▲"}table.sortable th.sorted-desc::after{content:" ▼"}
        tr.best{background:#fff8c5;font-weight:600}td.note{color:#57606a;max-width:420px}
        pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}.note{color:#57606a;font-size:13px}.error{color:#cf222e}
        .charts{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0;flex:1 1 540px}figcaption{font-size:13px;font-weight:600}
        .chart{height:360px}#chart-parallel{height:420px}footer{margin-top:40px;color:#57606a;font-size:12px}
        #script-errors:empty{display:none}#script-errors{color:#cf222e}
        """;

    // First in <head>, so errors in plotly's own evaluation are caught too; they wait for the body's error box.
    private const string ErrorCollector = """
        (function(){
          var pending=[];
          function record(text){
            var box=document.getElementById('script-errors');
            if(box){box.textContent+=text+'\n';}else{pending.push(text);}
          }
          window.reportError=record;
          window.addEventListener('error',function(e){record('error: '+(e.message||e.type)+(e.filename?' at '+e.filename+':'+e.lineno:''));});
          window.addEventListener('unhandledrejection',function(e){record('unhandled rejection: '+(e.reason&&e.reason.message||e.reason));});
          document.addEventListener('DOMContentLoaded',function(){pending.splice(0).forEach(record);});
        })();
        """;

    private const string Renderer = """
        (function(){
          function countPoints(el){
            var full=el._fullData||[];
            if(full.length&&full[0].type==='parcoords'){
              return el.querySelectorAll('.parcoords .y-axis').length>0?(full[0]._length||0):0;
            }
            return el.querySelectorAll('.scatterlayer path.point').length;
          }
          var figures=JSON.parse(document.getElementById('report-charts').textContent);
          var drawn=figures.map(function(f){
            var el=document.getElementById(f.id);
            try{
              return Promise.resolve(Plotly.newPlot(el,f.figure.data,f.figure.layout,{responsive:true,displaylogo:false}))
                .then(function(){el.setAttribute('data-rendered-points',String(countPoints(el)));})
                .catch(function(e){window.reportError('chart '+f.id+': '+(e&&e.message||e));});
            }catch(e){window.reportError('chart '+f.id+': '+(e&&e.message||e));return Promise.resolve();}
          });
          Promise.all(drawn).then(function(){document.body.setAttribute('data-report-ready','true');});

          var table=document.getElementById('trial-table');
          if(table){
            table.querySelectorAll('th').forEach(function(th,column){
              th.addEventListener('click',function(){
                var ascending=!th.classList.contains('sorted-asc');
                table.querySelectorAll('th').forEach(function(h){h.classList.remove('sorted-asc','sorted-desc');});
                th.classList.add(ascending?'sorted-asc':'sorted-desc');
                var numeric=th.getAttribute('data-type')==='number';
                var body=table.tBodies[0];
                var rows=Array.prototype.slice.call(body.rows);
                function key(row){var c=row.cells[column];var v=c.getAttribute('data-sort');return v===null?c.textContent:v;}
                rows.sort(function(a,b){
                  var x=key(a),y=key(b);
                  if(numeric){
                    // Empty cells (no value) sort last either way.
                    if(x===''||y===''){return x===y?0:(x===''?1:-1);}
                    return (ascending?1:-1)*(parseFloat(x)-parseFloat(y));
                  }
                  return (ascending?1:-1)*x.localeCompare(y);
                });
                rows.forEach(function(r){body.appendChild(r);});
              });
            });
          }
        })();
        """;
}
