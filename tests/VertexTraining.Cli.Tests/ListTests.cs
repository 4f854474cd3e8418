using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary><c>list</c>: filters by state, label and display name go to the service; every page is read.</summary>
public sealed class ListTests
{
    private static FakeJob Add(CliHarness cli, string displayName, string state, string? team = "ml")
    {
        var body = CliHarness.Parse(CliHarness.CustomJobDocument(displayName).ToJson());
        body["labels"] = team is null ? null : new JsonObject { ["team"] = team };
        return cli.Server.AddJob("customJobs", body, state);
    }

    [Fact]
    public async Task Filters_by_state_and_label_reading_every_page()
    {
        await using var cli = await CliHarness.StartAsync();
        var matching = Enumerable.Range(1, 5).Select(i => Add(cli, $"moons-{i}", "JOB_STATE_RUNNING")).ToList();
        Add(cli, "moons-done", "JOB_STATE_SUCCEEDED");
        Add(cli, "other-team", "JOB_STATE_RUNNING", team: "data");

        var result = await cli.RunAsync("list", "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region,
            "--state", "running", "--label", "team=ml", "--page-size", "2", "--kind", "custom");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lists = cli.Server.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith("/customJobs", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lists.Count);
        Assert.Equal("?filter=state=\"JOB_STATE_RUNNING\" AND labels.team=\"ml\"&pageSize=2", Uri.UnescapeDataString(lists[0].Query));
        Assert.Equal("?filter=state=\"JOB_STATE_RUNNING\" AND labels.team=\"ml\"&pageSize=2&pageToken=o:2", Uri.UnescapeDataString(lists[1].Query));
        Assert.EndsWith("&pageToken=o:4", Uri.UnescapeDataString(lists[2].Query));

        Assert.Equal("ID                   KIND    STATE    CREATED               DISPLAY NAME", result.OutLines[0]);
        var rows = result.OutLines.Skip(1).ToList();
        Assert.Equal(matching.Select(j => j.Id).Reverse(), rows.Select(r => r.Split(' ')[0]));
        Assert.All(rows, r => Assert.Contains(" custom  RUNNING  2026-11-27 10:00:00Z  moons-", r));
    }

    [Fact]
    public async Task Display_name_wildcards_raw_filters_kind_and_json()
    {
        await using var cli = await CliHarness.StartAsync();
        Add(cli, "moons-a", "JOB_STATE_FAILED");
        var wanted = Add(cli, "moons-b", "JOB_STATE_SUCCEEDED");
        Add(cli, "stars-c", "JOB_STATE_SUCCEEDED");
        var tuning = cli.Server.AddJob("hyperparameterTuningJobs", CliHarness.Parse(CliHarness.TuningJobDocument().ToJson()), "JOB_STATE_RUNNING");

        var result = await cli.RunAsync("list", "--project", FakeGoogleCloud.ProjectId, "--display-name", "moons-*", "--filter", "NOT state=\"JOB_STATE_FAILED\"", "--json");
        var tuningOnly = await cli.RunAsync("list", "--project", FakeGoogleCloud.ProjectId, "--kind", "tuning");

        Assert.True(result.ExitCode == 0, result.ToString());
        var jobs = JsonNode.Parse(result.StdOut)!.AsArray();
        Assert.Equal([wanted.Name, tuning.Name], jobs.Select(j => j!["name"]!.GetValue<string>()));
        Assert.Contains(cli.Server.Requests, r => Uri.UnescapeDataString(r.Query) == "?filter=display_name:\"moons-*\" AND (NOT state=\"JOB_STATE_FAILED\")" && r.Path.EndsWith("/customJobs", StringComparison.Ordinal));
        Assert.Contains(cli.Server.Requests, r => r.Path.EndsWith("/hyperparameterTuningJobs", StringComparison.Ordinal));

        Assert.True(tuningOnly.ExitCode == 0, tuningOnly.ToString());
        Assert.Contains($"{tuning.Id}  tuning  RUNNING", tuningOnly.StdOut);
        Assert.DoesNotContain("moons-b", tuningOnly.StdOut);
    }

    [Fact]
    public async Task Limit_stops_paging_and_an_invalid_state_is_a_usage_error()
    {
        await using var cli = await CliHarness.StartAsync();
        for (var i = 0; i < 6; i++)
        {
            Add(cli, $"moons-{i}", "JOB_STATE_SUCCEEDED");
        }

        var limited = await cli.RunAsync("list", "--project", FakeGoogleCloud.ProjectId, "--kind", "custom", "--page-size", "2", "--limit", "3");
        var invalid = await cli.RunAsync("list", "--project", FakeGoogleCloud.ProjectId, "--state", "sleeping");

        Assert.True(limited.ExitCode == 0, limited.ToString());
        Assert.Equal(3, limited.OutLines.Length - 1);
        Assert.Equal(2, cli.Server.Requests.Count(r => r.Path.EndsWith("/customJobs", StringComparison.Ordinal)));
        Assert.Equal(ExitCodes.BadConfiguration, invalid.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.InvalidCommandLine}: --state 'sleeping' is not a job state", invalid.StdErr);
    }

    [Fact]
    public async Task Without_a_project_anywhere_list_is_VTX1002()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("list");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.MissingProject}: No Google Cloud project", result.StdErr);
    }
}
