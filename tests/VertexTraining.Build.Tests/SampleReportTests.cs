using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>
/// samples/MoonsClassifier as a user runs it: its tuning job on this machine (process mode, the study as the sample
/// declares it), then <c>dotnet vertex report</c> with the CLI the package bundles, opened in headless Chromium. Its
/// screenshot is the documentation's picture (build/render-sample-report.sh copies it to docs/report-sample.png), so
/// the test checks what the picture must show: every trial in the table and every scored trial in the charts.
/// </summary>
public sealed class SampleReportTests
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromMinutes(2);

    private static string SamplesFolder => Path.Combine(RepositoryLayout.Root, "samples");

    [ChromiumFact]
    public async Task The_sample_tuning_jobs_report_draws_every_trial_in_a_real_browser_and_is_kept_as_the_docs_screenshot()
    {
        using var project = TestProject.Create("MoonsClassifier", "moons-sample-report", SamplesFolder);
        var jobsIndex = Path.Combine(project.Directory, "local-jobs");
        var environment = new Dictionary<string, string?> { ["VERTEX_LOCAL_JOBS_DIR"] = jobsIndex };

        var run = Submission.Publish(project, new BuildProperties { ["VertexLocalMode"] = "process" }, environment);

        run.Build.AssertSuccess();
        // The index holds one file per local job, named by its id, whose content is the run folder (job.json's home).
        var entry = Assert.Single(Directory.GetFiles(jobsIndex));
        var job = JsonNode.Parse(File.ReadAllText(Path.Combine(File.ReadAllText(entry).Trim(), "job.json")))!;
        Assert.Equal("JOB_STATE_SUCCEEDED", job["state"]?.GetValue<string>());
        var trials = job["trials"]!.AsArray();
        var declared = DeclaredStudy(project.ProjectFile);
        Assert.Equal(declared.MaxTrialCount, trials.Count);
        var scored = trials.Count(t => t!["finalMeasurement"] is not null);
        Assert.True(scored > 0, $"No trial of the sample reported its metric.\n{run.Build.Describe()}");

        var html = Path.Combine(project.Directory, "report.html");
        var report = ProcessRunner.Run("dotnet", [BundledCli(), "report", "local/" + Path.GetFileName(entry), "--output", html],
            project.Directory, ReportTimeout, environment);
        Assert.True(report.ExitCode == 0, report.Describe());

        var profile = Path.Combine(project.Directory, "chromium-profile");
        var dom = await HeadlessChromium.DumpDomAsync(html, profile);
        Assert.Contains("data-report-ready=\"true\"", dom);
        Assert.Equal("", HeadlessChromium.TextOf(dom, "script-errors")?.Trim());
        // The table: one row per trial of job.json, the best one marked.
        Assert.Equal(trials.Count, Regex.Matches(dom, "<tr[^>]*data-trial=").Count);
        Assert.Single(HeadlessChromium.ElementsWithClass(dom, "best"));
        // The history and one slice per hyperparameter the csproj declares, each a point per scored trial.
        var slices = declared.Hyperparameters.Select(p => "chart-slice-" + p).ToList();
        var drawnSlices = HeadlessChromium.ElementsWithClass(dom, "chart").Select(c => c["id"]).Where(id => id.StartsWith("chart-slice-", StringComparison.Ordinal));
        Assert.Equal(slices.Order(), drawnSlices.Order());
        HeadlessChromium.AssertRenderedPoints(dom, slices.Prepend("chart-history").ToDictionary(id => id, _ => scored));

        // The picture in the README and docs/seeing-a-run.md (build/render-sample-report.sh copies it there).
        var artifacts = Path.Combine(RepositoryLayout.Root, "artifacts", "test-results");
        Directory.CreateDirectory(artifacts);
        await HeadlessChromium.ScreenshotAsync(html, Path.Combine(artifacts, "report-sample.png"), profile, 1280, 4150);
    }

    /// <summary>The CLI inside the restored package (tools/cli), as the package's targets run it.</summary>
    private static string BundledCli()
    {
        var cli = Path.Combine(TestRun.GlobalPackagesFolder, RepositoryLayout.PackageId.ToLowerInvariant(),
            RepositoryLayout.Package.Version.ToLowerInvariant(), "tools", "cli", "dotnet-vertex.dll");
        Assert.True(File.Exists(cli), $"The restored package has no {cli}");
        return cli;
    }

    /// <summary>The study as the sample's csproj declares it, read from the file rather than from our targets.</summary>
    private static (int MaxTrialCount, IReadOnlyList<string> Hyperparameters) DeclaredStudy(string projectFile)
    {
        var root = XDocument.Load(projectFile).Root!;
        var maxTrials = int.Parse(root.Descendants("VertexMaxTrialCount").Single().Value, CultureInfo.InvariantCulture);
        return (maxTrials, [.. root.Descendants("VertexHyperparameter").Select(p => p.Attribute("Include")!.Value)]);
    }
}
