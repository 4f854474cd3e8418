using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary><c>trials</c>: one row per trial, the best marked by the study's goal, failures explained.</summary>
public sealed class TrialsTests
{
    internal static JsonArray Trials(params (string Id, string State, double? Accuracy)[] trials)
    {
        var array = new JsonArray();
        foreach (var (id, state, accuracy) in trials)
        {
            var trial = new JsonObject
            {
                ["name"] = $"projects/123456789012/locations/us-central1/studies/77/trials/{id}",
                ["id"] = id,
                ["state"] = state,
                ["parameters"] = new JsonArray(
                    new JsonObject { ["parameterId"] = "layers", ["value"] = int.Parse(id) },
                    new JsonObject { ["parameterId"] = "learning_rate", ["value"] = 0.001 * int.Parse(id) }),
                ["startTime"] = "2026-11-27T10:00:00Z",
            };
            if (state is "SUCCEEDED" or "INFEASIBLE")
            {
                trial["endTime"] = $"2026-11-27T10:0{id}:30.5Z";
            }

            if (accuracy is { } value)
            {
                trial["finalMeasurement"] = new JsonObject
                {
                    ["stepCount"] = "100",
                    ["metrics"] = new JsonArray(new JsonObject { ["metricId"] = "accuracy", ["value"] = value }),
                };
            }

            array.Add(trial);
        }

        return array;
    }

    private static FakeJob TuningJob(CliHarness cli, string goal)
    {
        var job = cli.Server.AddJob("hyperparameterTuningJobs", CliHarness.Parse(CliHarness.TuningJobDocument(goal).ToJson()), "JOB_STATE_RUNNING");
        job.Resource["trials"] = Trials(("3", "SUCCEEDED", 0.91), ("1", "SUCCEEDED", 0.84), ("2", "INFEASIBLE", null), ("4", "ACTIVE", null), ("5", "SUCCEEDED", 0.97));
        job.Resource["trials"]![2]!["infeasibleReason"] = "The replica workerpool0-0 exited with a non-zero status of 1.";
        return job;
    }

    [Fact]
    public async Task Maximize_marks_the_highest_metric_and_explains_infeasible_trials()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = TuningJob(cli, "Maximize");

        var result = await cli.RunAsync("trials", job.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] expected =
        [
            "   TRIAL  STATE       ACCURACY  DURATION  PARAMETERS                    NOTE",
            "   1      SUCCEEDED   0.84      1m30s     layers=1 learning_rate=0.001",
            "   2      INFEASIBLE            2m30s     layers=2 learning_rate=0.002  infeasible: The replica workerpool0-0 exited with a non-zero status of 1.",
            "   3      SUCCEEDED   0.91      3m30s     layers=3 learning_rate=0.003",
            "   4      ACTIVE                          layers=4 learning_rate=0.004  running",
            "*  5      SUCCEEDED   0.97      5m30s     layers=5 learning_rate=0.005",
            "Trials: 3 succeeded, 1 running, 1 failed of 4",
            "Best trial: 5 (accuracy = 0.97, goal MAXIMIZE)",
        ];
        Assert.Equal(string.Join("\n", expected), string.Join("\n", result.OutLines));
    }

    [Fact]
    public async Task Minimize_marks_the_lowest_metric_in_json_too()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = TuningJob(cli, "Minimize");

        var text = await cli.RunAsync("trials", job.Name);
        var json = await cli.RunAsync("trials", job.Name, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.StartsWith("*  1      SUCCEEDED   0.84", text.OutLines[1]);
        Assert.Equal("Best trial: 1 (accuracy = 0.84, goal MINIMIZE)", text.OutLines[^1]);
        var report = CliHarness.Parse(json.StdOut);
        Assert.Equal("1", report["bestTrialId"]!.GetValue<string>());
        Assert.Equal("MINIMIZE", report["goal"]!.GetValue<string>());
        var trials = report["trials"]!.AsArray();
        Assert.Equal(["1", "2", "3", "4", "5"], trials.Select(t => t!["id"]!.GetValue<string>()));
        Assert.True(trials[0]!["best"]!.GetValue<bool>());
        Assert.Equal(90.5, trials[0]!["durationSeconds"]!.GetValue<double>());
        // --json keeps the API's numbers whole; the table shows 6 significant digits.
        Assert.Equal(0.003, trials[2]!["parameters"]!["learning_rate"]!.GetValue<double>());
        Assert.Equal(3, trials[2]!["parameters"]!["layers"]!.GetValue<int>());
    }

    [Fact]
    public async Task Json_keeps_every_digit_of_a_parameter()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = TuningJob(cli, "Maximize");
        job.Resource["trials"]![0]!["parameters"]![1]!["value"] = 0.000123456789012;

        var text = await cli.RunAsync("trials", job.Name);
        var json = await cli.RunAsync("trials", job.Name, "--json");

        Assert.Contains(text.OutLines, l => l.Contains("learning_rate=0.000123457", StringComparison.Ordinal));
        var trial = CliHarness.Parse(json.StdOut)["trials"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == "3")!;
        Assert.Equal(0.000123456789012, trial["parameters"]!["learning_rate"]!.GetValue<double>());
    }

    [Fact]
    public async Task Trials_of_a_custom_job_is_a_usage_error()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");

        var result = await cli.RunAsync("trials", job.Name);

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.InvalidJobReference}: {job.Name} is a custom job", result.StdErr);
    }
}
