using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;

namespace VertexTraining.Cli.Tests;

/// <summary>A followed job that stays QUEUED or PENDING is explained once; the harness's fake poll delays make the minutes pass at once.</summary>
public sealed class WaitingAdviceTests
{
    private static FakeJob JobWaiting(CliHarness cli, string state, int polls)
    {
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()));
        job.Script([.. Enumerable.Repeat(new JobStep(state), polls), new JobStep("JOB_STATE_RUNNING"), new JobStep("JOB_STATE_SUCCEEDED")]);
        return job;
    }

    [Theory]
    [InlineData("JOB_STATE_QUEUED", "has been QUEUED for 5 min", "custom-training quota it needs in the region is held by other jobs")]
    [InlineData("JOB_STATE_PENDING", "has been PENDING for 5 min", "no capacity for its machine type and accelerator")]
    public async Task A_job_waiting_past_five_minutes_is_explained_once_with_the_options(string state, string waited, string reason)
    {
        await using var cli = await CliHarness.StartAsync();
        // 45 polls 10 s apart: 7.5 minutes of waiting.
        var job = JobWaiting(cli, state, 45);

        var result = await cli.RunAsync("wait", job.Name, "--poll-interval", "10");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var advice = Assert.Single(result.OutLines, l => l.Contains(" for 5 min", StringComparison.Ordinal) || l.Contains(" for 7 min", StringComparison.Ordinal));
        Assert.Contains($"VertexTraining: {job.Id} {waited}.", advice, StringComparison.Ordinal);
        Assert.Contains(reason, advice, StringComparison.Ordinal);
        var options = Assert.Single(result.OutLines, l => l.StartsWith("VertexTraining: options:", StringComparison.Ordinal));
        Assert.Contains("FlexStart", options, StringComparison.Ordinal);
        Assert.Contains("Spot", options, StringComparison.Ordinal);
        Assert.Contains("another region", options, StringComparison.Ordinal);
        Assert.Contains("reservation", options, StringComparison.Ordinal);

        // Said after 5 minutes of polls, before the job ran.
        var lines = result.OutLines.ToList();
        Assert.True(lines.IndexOf(advice) < lines.IndexOf($"VertexTraining: {job.Id} is RUNNING"), result.ToString());
        Assert.True(job.Gets >= 31, $"advice after {job.Gets} reads");
    }

    [Fact]
    public async Task A_short_wait_is_not_explained()
    {
        await using var cli = await CliHarness.StartAsync();
        // 4.5 minutes of QUEUED, then PENDING and RUNNING: provisioning as usual.
        var job = JobWaiting(cli, "JOB_STATE_QUEUED", 27);

        var result = await cli.RunAsync("wait", job.Name, "--poll-interval", "10");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.DoesNotContain(result.OutLines, l => l.Contains("options:", StringComparison.Ordinal) || l.Contains(" min. ", StringComparison.Ordinal));
    }
}
