using System.Text.Json.Nodes;
using VertexTraining.Core.Api;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Cli.Tests;

/// <summary>The small pieces of Core/Cloud on their own: names, filters, errors, backoff, states, trials, the record file.</summary>
public sealed class CloudModelTests
{
    [Theory]
    [InlineData("projects/my-proj/locations/europe-west4/customJobs/123", "my-proj", "europe-west4", JobKind.CustomJob, "123")]
    [InlineData("projects/42/locations/us-central1/hyperparameterTuningJobs/9", "42", "us-central1", JobKind.HyperparameterTuningJob, "9")]
    public void Job_names_round_trip(string text, string project, string location, JobKind kind, string id)
    {
        Assert.True(JobName.TryParse(text, out var name));
        Assert.Equal(new JobName(project, location, kind, id), name);
        Assert.Equal(text, name.ToString());
    }

    [Theory]
    [InlineData("123")]
    [InlineData("projects/p/locations/l/customJobs")]
    [InlineData("projects/p/locations/l/customJobs/1:cancel")]
    [InlineData("projects/p/locations/l/batchPredictionJobs/1")]
    public void Other_text_is_not_a_job_name(string text) => Assert.False(JobName.TryParse(text, out _));

    [Fact]
    public void Filters_join_terms_with_AND_quote_values_and_parenthesise_raw_expressions()
    {
        Assert.Null(new JobListFilter().Build());
        Assert.Equal("a=1 OR b=2", new JobListFilter().Raw("a=1 OR b=2").Build());
        Assert.Equal("state=\"JOB_STATE_RUNNING\" AND labels.team=\"ml\" AND labels.owner:* AND display_name:\"m\\\"l-*\" AND (a=1 OR b=2)",
            new JobListFilter().State("JOB_STATE_RUNNING").Label("team", "ml").Label("owner", null).DisplayName("m\"l-*").Raw("a=1 OR b=2").Build());
    }

    [Fact]
    public void Google_error_bodies_yield_status_message_and_RetryInfo()
    {
        var error = GoogleApiError.Parse(429, """
            {"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED","details":[
              {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED"},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.500s"}]}}
            """);
        Assert.Equal(new GoogleApiError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", TimeSpan.FromSeconds(1.5)), error);

        var html = GoogleApiError.Parse(502, "<html>Bad Gateway</html>\n<body/>");
        Assert.Equal(new GoogleApiError(502, null, "<html>Bad Gateway</html>", null), html);
    }

    [Fact]
    public void Backoff_doubles_to_its_cap_with_jitter_and_server_delays_win_up_to_their_cap()
    {
        var low = new RetryPolicy { NextRandom = () => 0 };
        var high = new RetryPolicy { NextRandom = () => 0.999999 };
        Assert.Equal([0.5, 1, 2, 4, 8, 16, 16], Enumerable.Range(1, 7).Select(n => low.BackoffFor(n, null).TotalSeconds));
        Assert.All(Enumerable.Range(1, 10), n => Assert.InRange(high.BackoffFor(n, null), low.BackoffFor(n, null), TimeSpan.FromSeconds(32)));
        Assert.Equal(TimeSpan.FromSeconds(40), low.BackoffFor(1, TimeSpan.FromSeconds(40)));
        Assert.Equal(TimeSpan.FromMinutes(5), low.BackoffFor(1, TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(501, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    public void Only_transient_statuses_are_retryable(int status, bool retryable) => Assert.Equal(retryable, RetryPolicy.IsRetryableStatus(status));

    [Theory]
    [InlineData("JOB_STATE_SUCCEEDED", JobOutcome.Succeeded)]
    [InlineData("JOB_STATE_FAILED", JobOutcome.Failed)]
    [InlineData("JOB_STATE_CANCELLED", JobOutcome.Cancelled)]
    [InlineData("JOB_STATE_PAUSED", JobOutcome.Other)]
    [InlineData("JOB_STATE_EXPIRED", JobOutcome.Other)]
    [InlineData("JOB_STATE_CANCELLING", JobOutcome.Running)]
    [InlineData("JOB_STATE_UPDATING", JobOutcome.Running)]
    [InlineData(null, JobOutcome.Running)]
    public void States_map_to_outcomes(string? state, JobOutcome outcome) => Assert.Equal(outcome, JobStates.Outcome(state));

    [Fact]
    public void Typed_states_normalise_and_exit_codes_follow_outcomes()
    {
        Assert.True(JobStates.TryNormalize("running", out var running));
        Assert.Equal(JobStates.Running, running);
        Assert.True(JobStates.TryNormalize("JOB_STATE_PARTIALLY_SUCCEEDED", out _));
        Assert.False(JobStates.TryNormalize("done", out _));
        Assert.Equal(ExitCodes.Success, ExitCodes.ForOutcome(JobOutcome.Succeeded));
        Assert.Equal(ExitCodes.JobFailed, ExitCodes.ForOutcome(JobOutcome.Failed));
        Assert.Equal(ExitCodes.JobCancelled, ExitCodes.ForOutcome(JobOutcome.Cancelled));
        Assert.Equal(ExitCodes.JobFailed, ExitCodes.ForOutcome(JobOutcome.Other));
    }

    [Fact]
    public void Trial_ties_keep_the_earlier_trial_and_unspecified_goals_maximize()
    {
        var job = VertexJson.Deserialize<HyperparameterTuningJob>("""
            {"maxTrialCount":3,"studySpec":{"metrics":[{"metricId":"loss"}]},"trials":[
              {"id":"2","state":"SUCCEEDED","finalMeasurement":{"metrics":[{"metricId":"loss","value":0.5}]}},
              {"id":"1","state":"SUCCEEDED","finalMeasurement":{"metrics":[{"metricId":"loss","value":0.5}]}},
              {"id":"3","state":"SUCCEEDED","finalMeasurement":{"metrics":[{"metricId":"other","value":9}]}}]}
            """)!;
        var report = TrialReport.From(job);
        Assert.Equal("MAXIMIZE", report.Goal);
        Assert.Equal("1", report.Best!.Id);
        Assert.Equal("no final value for 'loss'", report.Rows[2].Note);
    }

    [Fact]
    public void Submission_label_is_added_without_touching_the_rest_of_the_document()
    {
        var document = (JsonObject)JsonNode.Parse("""{"displayName":"x","jobSpec":{"workerPoolSpecs":[{}]},"labels":{"team":"ml"},"unknownField":[1,2]}""")!;
        var labelled = JobSubmitter.WithSubmissionLabel(document, "abc");

        Assert.Equal("""{"displayName":"x","jobSpec":{"workerPoolSpecs":[{}]},"labels":{"team":"ml","vertex-training-submission-id":"abc"},"unknownField":[1,2]}""", labelled.ToJsonString());
        Assert.False(document["labels"]!.AsObject().ContainsKey("vertex-training-submission-id"));
        Assert.Matches("^[0-9a-f]{32}$", JobSubmitter.NewSubmissionId());
        Assert.Equal(JobKind.HyperparameterTuningJob, JobDocument.KindOf((JsonObject)JsonNode.Parse("""{"studySpec":{}}""")!));
    }

    [Fact]
    public void Endpoints_default_to_the_regional_host_and_accept_overrides()
    {
        Assert.Equal("https://europe-west4-aiplatform.googleapis.com/", VertexEndpoints.ForRegion("europe-west4", null).ToString());
        Assert.Equal("http://127.0.0.1:5/base/", VertexEndpoints.ForRegion("us-central1", "http://127.0.0.1:5/base").ToString());
        Assert.Equal("https://logging.googleapis.com/", VertexEndpoints.Logging(null).ToString());
        var error = Assert.Throws<VertexCloudException>(() => VertexEndpoints.ForRegion("us-central1", "ftp://x"));
        Assert.Equal("VTX1008", error.Code);
    }
}
