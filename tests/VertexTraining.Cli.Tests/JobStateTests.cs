using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>Every JobState of the v1 API: its documented exit code, and what wait and status do with it.</summary>
public sealed class JobStateTests
{
    public static TheoryData<string> AllStates() => [.. JobStates.All];

    [Fact]
    public void The_readme_documents_every_state_with_the_exit_code_wait_returns()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "BuildTasks.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("BuildTasks.sln not found above the test folder");
        }

        var rows = File.ReadAllLines(Path.Combine(root, "README.md"))
            .Where(l => l.StartsWith("| JOB_STATE_", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .ToDictionary(cells => cells[0]);

        Assert.Equal(JobStates.All.Order(), rows.Keys.Order());
        foreach (var state in JobStates.All)
        {
            var cells = rows[state];
            var terminal = JobStates.IsTerminal(state);
            Assert.True(cells[2].StartsWith(terminal ? "ends" : "goes on", StringComparison.Ordinal), $"{state}: '{cells[2]}'");
            Assert.Equal(terminal ? ExitCodes.ForOutcome(JobStates.Outcome(state)).ToString(System.Globalization.CultureInfo.InvariantCulture) : "", cells[3]);
        }
    }

    [Theory]
    [InlineData("JOB_STATE_PAUSED", "stopped and resumable")]
    [InlineData("JOB_STATE_EXPIRED", "its time ran out first")]
    [InlineData("JOB_STATE_PARTIALLY_SUCCEEDED", "some of its results missing")]
    public async Task Wait_ends_on_the_rarer_final_states_with_VTX4022_saying_what_they_mean(string state, string meaning)
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()));
        job.Script(new JobStep("JOB_STATE_RUNNING"), new JobStep(state));

        var result = await cli.RunAsync("wait", job.Name, "--poll-interval", "1");

        Assert.True(result.ExitCode == ExitCodes.JobFailed, result.ToString());
        Assert.Contains($"error {DiagnosticCodes.JobEndedOtherwise}: Job {job.Name} ended {JobStates.Short(state)}: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(meaning, result.StdErr, StringComparison.Ordinal);
        Assert.Contains($"VertexTraining: {job.Id} ended {JobStates.Short(state)}", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_follows_a_job_through_updating_and_cancelling_to_its_end()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()));
        job.Script(new JobStep("JOB_STATE_RUNNING"), new JobStep("JOB_STATE_UPDATING"), new JobStep("JOB_STATE_RUNNING"),
            new JobStep("JOB_STATE_CANCELLING"), new JobStep("JOB_STATE_CANCELLED"));

        var result = await cli.RunAsync("wait", job.Name, "--poll-interval", "1");

        Assert.True(result.ExitCode == ExitCodes.JobCancelled, result.ToString());
        var states = result.OutLines.Where(l => l.StartsWith($"VertexTraining: {job.Id} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            $"VertexTraining: {job.Id} is RUNNING",
            $"VertexTraining: {job.Id} is UPDATING",
            $"VertexTraining: {job.Id} is RUNNING",
            $"VertexTraining: {job.Id} is CANCELLING",
        ], states[..4]);
        // The cancelled job's error (code 1, CANCELLED) follows the state.
        Assert.StartsWith($"VertexTraining: {job.Id} ended CANCELLED", Assert.Single(states[4..]), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllStates))]
    public async Task Status_says_what_each_state_means_but_the_everyday_ones(string state)
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), state);

        var result = await cli.RunAsync("status", job.Name);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"State:        {JobStates.Short(state)}", result.OutLines);
        var means = result.OutLines.Where(l => l.StartsWith("Means:", StringComparison.Ordinal)).ToList();
        if (state is JobStates.Running or JobStates.Succeeded or JobStates.Failed)
        {
            Assert.Empty(means);
        }
        else
        {
            Assert.Equal($"Means:        {JobStates.Meaning(state)}", Assert.Single(means));
        }
    }
}
