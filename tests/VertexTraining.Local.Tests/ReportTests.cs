using System.Text.RegularExpressions;
using VertexTraining.Core.Local;
using VertexTraining.Testing.TensorBoard;

namespace VertexTraining.Local.Tests;

/// <summary>
/// A real local tuning job (the probe app as processes) whose trials write TensorBoard event files through
/// HyperTune.Report, read back by the independent decoder; then <c>dotnet vertex report</c> on it, opened in headless
/// Chromium: no script errors, and every chart draws as many points as the job has.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class ReportTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly LocalRunSetup _setup = new("report");

    public void Dispose() => _setup.Dispose();

    [ChromiumFact]
    public async Task A_local_tuning_job_writes_event_files_per_trial_and_its_report_draws_every_point_in_a_real_browser()
    {
        var app = await ProbeApp.AppAsync();
        var study = JobDocs.Study("score", "MAXIMIZE", "RANDOM_SEARCH",
            JobDocs.Discrete("x", 1, 2, 3, 4, 5),
            JobDocs.Double("learning_rate", 1e-4, 1e-1, "UNIT_LOG_SCALE"),
            JobDocs.Categorical("optimizer", "up", "down"));
        var request = JobDocs.Tuning(JobDocs.Spec(JobDocs.Pool(1, "--probe=tune", "--fail_x=2")), study,
            maxTrials: 6, parallel: 2, maxFailed: 6, name: "report-test").Save(_setup.Temp.Path);

        var run = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app, "--seed", "11");
        Assert.True(run.ExitCode == 0, run.All);
        var snapshot = RunAssertions.Job(_setup.Cli, run.Output);
        var trials = snapshot.TuningJob!.Trials!;
        var scored = trials.Where(t => t.FinalMeasurement is not null).ToList();
        Assert.NotEmpty(scored);

        // Every value the trial reported with HyperTune.Report is a TensorBoard point in its own log folder.
        var scalarPoints = 0;
        foreach (var trial in trials)
        {
            var logs = Path.Combine(snapshot.Record.Folder.OutputsDirectory(trial.Id), "logs");
            var decoded = Directory.Exists(logs)
                ? Directory.GetFiles(logs, "*tfevents*").SelectMany(EventFileDecoder.Read).ToList()
                : [];
            var points = decoded.SelectMany(e => e.Scalars.Select(s => (e.Step, s.Tag, s.Value))).ToList();
            var measured = (trial.Measurements ?? []).Select(m => (m.StepCount ?? 0, "score", (float)m.Metrics!.Single().Value)).ToList();
            Assert.Equal(measured, points);
            if (points.Count > 0)
            {
                Assert.Equal("brain.Event:2", decoded[0].FileVersion);
            }

            scalarPoints += points.Count;
        }

        Assert.Equal(3 * scored.Count, scalarPoints);

        var html = _setup.Temp.Combine("out", "report.html");
        var report = await _setup.Cli.RunAsync(RunTimeout, "report", snapshot.Name, "--output", html);
        Assert.True(report.ExitCode == 0, report.All);
        Assert.Contains(html, report.Output);
        var page = File.ReadAllText(html);
        Assert.DoesNotMatch(new Regex(@"<(script|link|img|iframe)[^>]+(src|href)\s*=", RegexOptions.IgnoreCase), page);

        var dom = await HeadlessChromium.DumpDomAsync(html, _setup.Temp.Combine("chromium-profile"));
        Assert.Contains("data-report-ready=\"true\"", dom);
        Assert.Equal("", HeadlessChromium.TextOf(dom, "script-errors")?.Trim());

        // The expected counts come from job.json and the event files, not from the report's own attributes.
        var expected = new Dictionary<string, int>
        {
            ["chart-history"] = scored.Count,
            ["chart-slice-x"] = scored.Count,
            ["chart-slice-learning_rate"] = scored.Count,
            ["chart-slice-optimizer"] = scored.Count,
            ["chart-parallel"] = scored.Count,
            ["chart-learning-curves"] = trials.Sum(t => t.Measurements?.Count ?? 0),
            ["chart-scalar-1"] = scalarPoints,
        };
        var charts = HeadlessChromium.ElementsWithClass(dom, "chart").ToDictionary(c => c["id"]);
        Assert.Equal(expected.Keys.Order(), charts.Keys.Order());
        HeadlessChromium.AssertRenderedPoints(dom, expected);

        // The trial table: one row per trial, the best one marked.
        var rows = HeadlessChromium.ElementsWithClass(dom, "best");
        Assert.Single(rows);
        Assert.Equal(trials.Count, Regex.Matches(dom, "<tr[^>]*data-trial=").Count);

        // Kept for people (and the README) to look at.
        var artifacts = Path.Combine(TestPaths.RepoRoot, "artifacts", "test-results");
        Directory.CreateDirectory(artifacts);
        File.Copy(html, Path.Combine(artifacts, "report-local-tuning.html"), overwrite: true);
        await HeadlessChromium.ScreenshotAsync(html, Path.Combine(artifacts, "report-local-tuning.png"), _setup.Temp.Combine("chromium-profile"), 1280, 4400);
    }

    [Fact]
    public async Task A_local_custom_job_report_draws_every_scalar_curve_the_run_wrote()
    {
        var app = await ProbeApp.AppAsync();
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=tune", "--x=2", "--metric=loss"))).Save(_setup.Temp.Path);
        var run = await _setup.Cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", app);
        Assert.True(run.ExitCode == 0, run.All);
        var snapshot = RunAssertions.Job(_setup.Cli, run.Output);

        var html = _setup.Temp.Combine("custom.html");
        var report = await _setup.Cli.RunAsync(RunTimeout, "report", snapshot.Name, "--output", html);

        Assert.True(report.ExitCode == 0, report.All);
        var page = File.ReadAllText(html);
        var figures = System.Text.Json.Nodes.JsonNode.Parse(Regex.Match(page,
            "<script type=\"application/json\" id=\"report-charts\">(?<json>.*?)</script>", RegexOptions.Singleline).Groups["json"].Value)!.AsArray();
        var chart = Assert.Single(figures)!;
        Assert.Equal("chart-scalar-1", chart["id"]!.GetValue<string>());
        var curve = Assert.Single(chart["figure"]!["data"]!.AsArray())!;
        Assert.Equal("loss", curve["name"]!.GetValue<string>());
        Assert.Equal([1L, 2, 3], curve["x"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.Equal([2.0, 20, 10], curve["y"]!.AsArray().Select(n => n!.GetValue<double>()));
        Assert.Contains("<td>Custom job</td>", page);
        Assert.DoesNotContain("id=\"trials\"", page);
    }
}
