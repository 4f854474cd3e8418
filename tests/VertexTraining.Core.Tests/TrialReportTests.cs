using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;

namespace VertexTraining.Core.Tests;

/// <summary>The trial table says what happened in the user's words.</summary>
public sealed class TrialReportTests
{
    private static HyperparameterTuningJob Job(string state, params Trial[] trials) => new()
    {
        State = state,
        MaxTrialCount = 4,
        StudySpec = new StudySpec { Metrics = [new MetricSpec { MetricId = "accuracy", Goal = "MAXIMIZE" }] },
        Trials = [.. trials],
    };

    [Fact]
    public void Trials_stopped_because_the_job_was_cancelled_show_as_STOPPED_and_no_best_is_yet_to_come()
    {
        var report = TrialReport.From(Job("JOB_STATE_CANCELLED",
            new Trial { Id = "1", State = "INFEASIBLE", InfeasibleReason = "Stopped: the job was cancelled." },
            new Trial { Id = "2", State = "INFEASIBLE", InfeasibleReason = "The replica workerpool0-0 exited with a non-zero status of 1." }));

        var text = report.Format();

        Assert.Contains("STOPPED", text.Split('\n')[1]);
        Assert.Contains("stopped: the job was cancelled", text.Split('\n')[1]);
        Assert.Contains("INFEASIBLE", text.Split('\n')[2]);
        Assert.Contains("Best trial: none (no succeeded trial reported 'accuracy')", text);
    }

    [Fact]
    public void A_running_job_without_a_best_trial_says_none_yet()
    {
        var report = TrialReport.From(Job("JOB_STATE_RUNNING", new Trial { Id = "1", State = "ACTIVE" }));

        Assert.Equal("Best trial: none yet (no succeeded trial reported 'accuracy')", report.DescribeBest());
    }
}
