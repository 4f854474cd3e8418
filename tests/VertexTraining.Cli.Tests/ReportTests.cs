using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VertexTraining.Cli.Commands;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary><c>report</c> of cloud jobs, read from the loopback fake of the Vertex AI API.</summary>
public sealed class ReportTests
{
    private static FakeJob TuningJobWithMeasurements(CliHarness cli)
    {
        var job = cli.Server.AddJob("hyperparameterTuningJobs", CliHarness.Parse(CliHarness.TuningJobDocument().ToJson()), "JOB_STATE_SUCCEEDED");
        var trials = TrialsTests.Trials(("1", "SUCCEEDED", 0.84), ("2", "INFEASIBLE", null), ("3", "SUCCEEDED", 0.91));
        trials[1]!["infeasibleReason"] = "The replica workerpool0-0 exited with a non-zero status of 1.";
        // Intermediate measurements, as Vertex AI keeps them for each trial (Trial.measurements).
        trials[0]!["measurements"] = Measurements((10, 0.5), (20, 0.7), (30, 0.84));
        trials[2]!["measurements"] = Measurements((10, 0.6), (20, 0.91));
        job.Resource["trials"] = trials;
        return job;
    }

    private static JsonArray Measurements(params (long Step, double Accuracy)[] points) =>
        new([.. points.Select(p => (JsonNode?)new JsonObject
        {
            ["stepCount"] = p.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["metrics"] = new JsonArray(new JsonObject { ["metricId"] = "accuracy", ["value"] = p.Accuracy }),
        })]);

    private static JsonArray Figures(string html)
    {
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"report-charts\">(?<json>.*?)</script>", RegexOptions.Singleline);
        Assert.True(json.Success, "no chart data in the page");
        return JsonNode.Parse(json.Groups["json"].Value)!.AsArray();
    }

    private static JsonObject Figure(JsonArray figures, string id) =>
        figures.Select(f => f!.AsObject()).Single(f => f["id"]!.GetValue<string>() == id)["figure"]!.AsObject();

    private static double[] Numbers(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<double>())];

    [Fact]
    public async Task A_cloud_tuning_job_report_draws_its_trials_and_their_intermediate_measurements_from_the_api()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = TuningJobWithMeasurements(cli);

        var result = await cli.RunAsync("report", job.Name, "--output", "out/study.html");

        Assert.True(result.ExitCode == 0, result.ToString());
        var path = cli.Temp.Combine("out", "study.html");
        Assert.Equal($"Report of {job.Name}: {path}", result.OutLines.Single());
        Assert.Contains(cli.Server.Requests, r => r.Method == "GET" && r.Path.EndsWith("/hyperparameterTuningJobs/" + job.Id, StringComparison.Ordinal));
        var html = File.ReadAllText(path);

        // Header: job, state, machine shape, image digest, and the request to submit it again.
        Assert.Contains($"<td>{job.Name}</td>", html);
        Assert.Contains("<td>JOB_STATE_SUCCEEDED</td>", html);
        Assert.Contains("<td>1 × n1-standard-4</td>", html);
        Assert.Contains("<td>sha256:" + new string('a', 64) + "</td>", html);
        Assert.Contains("dotnet vertex submit --request job-request.json", html);
        var document = Regex.Match(html, "<summary>Job document \\(job-request.json\\)</summary><pre>(?<json>.*?)</pre>", RegexOptions.Singleline);
        var request = JsonNode.Parse(System.Net.WebUtility.HtmlDecode(document.Groups["json"].Value))!.AsObject();
        Assert.Equal(CliHarness.Parse(CliHarness.TuningJobDocument().ToJson()).ToJsonString(), request.ToJsonString());

        // Trial table: every trial, the best marked, the failure explained.
        Assert.Equal(["1", "2", "3"], Regex.Matches(html, "<tr[^>]*data-trial=\"(\\d+)\"").Select(m => m.Groups[1].Value));
        Assert.Matches("<tr class=\"best\" data-trial=\"3\">", html);
        Assert.Contains("infeasible: The replica workerpool0-0 exited with a non-zero status of 1.", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("plotly.js v" + ReportCommand.PlotlyVersion, html);

        var figures = Figures(html);
        var history = Figure(figures, "chart-history")["data"]!.AsArray();
        Assert.Equal([1.0, 3], Numbers(history[0]!["x"]));
        Assert.Equal([0.84, 0.91], Numbers(history[0]!["y"]));
        Assert.Equal([0.84, 0.91], Numbers(history[1]!["y"]));
        var slice = Figure(figures, "chart-slice-learning_rate");
        Assert.Equal("log", slice["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal([0.001, 0.003], Numbers(slice["data"]![0]!["x"]));
        Assert.Equal("linear", Figure(figures, "chart-slice-layers")["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        var parallel = Figure(figures, "chart-parallel")["data"]![0]!["dimensions"]!.AsArray();
        Assert.Equal(["log10(learning_rate)", "layers", "accuracy"], parallel.Select(d => d!["label"]!.GetValue<string>()));
        var curves = Figure(figures, "chart-learning-curves")["data"]!.AsArray();
        Assert.Equal(["trial 1", "trial 3"], curves.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal([10.0, 20, 30], Numbers(curves[0]!["x"]));
        Assert.Equal([0.6, 0.91], Numbers(curves[1]!["y"]));
    }

    [Fact]
    public async Task A_cloud_custom_job_report_says_where_its_tensorboard_curves_are()
    {
        await using var cli = await CliHarness.StartAsync();
        var resource = CliHarness.Parse(CliHarness.CustomJobDocument().ToJson());
        resource["jobSpec"]!["baseOutputDirectory"] = new JsonObject { ["outputUriPrefix"] = "gs://my-bucket/runs/1" };
        var job = cli.Server.AddJob("customJobs", resource, "JOB_STATE_RUNNING");

        var result = await cli.RunAsync("report", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        var html = File.ReadAllText(cli.Temp.Combine(job.Id + "-report.html"));
        Assert.Contains("<td>1 × n1-standard-4 + 1 × NVIDIA_TESLA_T4</td>", html);
        Assert.Contains("tensorboard --logdir gs://my-bucket/runs/1/logs/", html);
        Assert.Empty(Figures(html));
    }

    [Fact]
    public async Task An_output_that_is_a_folder_is_a_configuration_error_naming_the_option()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = TuningJobWithMeasurements(cli);
        Directory.CreateDirectory(cli.Temp.Combine("taken"));

        var result = await cli.RunAsync("report", job.Name, "--output", "taken");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ReportOutputNotWritable}: --output: cannot write the report to '{cli.Temp.Combine("taken")}' (it is a folder)", result.StdErr);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Open_hands_the_written_file_to_the_desktop_opener_and_without_one_only_warns()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = TuningJobWithMeasurements(cli);
        var bin = cli.Temp.Combine("bin");
        Directory.CreateDirectory(bin);
        var opener = Path.Combine(bin, "xdg-open");
        // Only shell built-ins: PATH holds nothing else.
        File.WriteAllText(opener, "#!/bin/sh\nprintf '%s' \"$1\" > \"${0%/*}/opened\"\n");
        File.SetUnixFileMode(opener, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        cli.Environment["PATH"] = bin;

        var opened = await cli.RunProcessAsync(["report", job.Name, "--output", "study.html", "--open"]);

        Assert.True(opened.ExitCode == 0, opened.ToString());
        var openedFile = Path.Combine(bin, "opened");
        for (var i = 0; i < 50 && !File.Exists(openedFile); i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(cli.Temp.Combine("study.html"), File.ReadAllText(openedFile));

        File.Delete(opener);
        var unopened = await cli.RunProcessAsync(["report", job.Name, "--output", "again.html", "--open"]);

        Assert.True(unopened.ExitCode == 0, unopened.ToString());
        Assert.True(File.Exists(cli.Temp.Combine("again.html")));
        Assert.Contains($"warning {DiagnosticCodes.ReportOpenFailed}: Could not open a browser", unopened.StdErr);
    }

    [Fact]
    public void The_embedded_plotly_is_the_vendored_file_and_says_the_version_the_tool_states()
    {
        var plotly = ReportCommand.Plotly();
        var vendored = Path.Combine(RepositoryRoot(), "src", "VertexTraining.Cli", "Report", "plotly.js-dist-min", "plotly.min.js");
        Assert.Equal(File.ReadAllText(vendored), plotly.Script);
        Assert.StartsWith($"/**\n* plotly.js v{ReportCommand.PlotlyVersion}\n", plotly.Script.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("Licensed under the MIT license", plotly.Script[..300]);
        Assert.Equal("MIT", plotly.License);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BuildTasks.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("BuildTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
