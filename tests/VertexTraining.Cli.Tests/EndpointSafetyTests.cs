using System.Net;
using System.Net.Sockets;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>
/// The access token goes only to the configured API host: hostile regions, projects and job names are
/// refused before any connection, and list and log filters cannot be widened by what a user types.
/// </summary>
public sealed class EndpointSafetyTests
{
    // Each string would turn https://{region}-aiplatform.googleapis.com into a URL on the listener.
    public static TheoryData<string, string[]> HostileRegions => new()
    {
        { DiagnosticCodes.InvalidRegion, ["status", "projects/acme-ml/locations/{listener}#/customJobs/1"] },
        { DiagnosticCodes.InvalidRegion, ["status", "123", "--project", "acme-ml", "--region", "{listener}/"] },
        { DiagnosticCodes.InvalidRegion, ["list", "--project", "acme-ml", "--region", "{listener}?"] },
        { DiagnosticCodes.InvalidRegion, ["wait", "projects/acme-ml/locations/{listener}?/hyperparameterTuningJobs/1"] },
        { DiagnosticCodes.InvalidRegion, ["cancel", "projects/acme-ml/locations/{listener}:/customJobs/1"] },
        { DiagnosticCodes.InvalidProject, ["list", "--project", "acme-ml/../../{listener}", "--region", "us-central1"] },
    };

    [Theory]
    [MemberData(nameof(HostileRegions))]
    public async Task A_hostile_region_or_project_sends_nothing_anywhere(string code, string[] template)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var hostPort = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        await using var cli = await CliHarness.StartAsync();
        // The Google host is built from the region, as for a real user: no endpoint override.
        cli.Environment.Remove(VertexEndpoints.ApiEndpointVariable);

        var result = await cli.RunAsync(template.Select(a => a.Replace("{listener}", hostPort, StringComparison.Ordinal)).ToArray());

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains(code, result.StdErr, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "the hostile host got a connection");
        Assert.Empty(cli.Server.OAuth.IssuedTokens);
    }

    [Theory]
    [InlineData("projects/../locations/../customJobs/1")]
    [InlineData("projects/acme-ml/locations/us-central1/customJobs/..")]
    [InlineData("projects/acme-ml/locations/us-central1/customJobs/%2e%2e")]
    [InlineData("projects/acme-ml/locations/us-central1/customJobs/1/../../../../x")]
    public async Task Dot_segments_in_a_job_name_are_refused(string name)
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("status", name);

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Matches("VTX(1003|1004|4010)", result.StdErr);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.StartsWith("/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_client_refuses_a_url_outside_its_endpoint_before_asking_for_a_token()
    {
        var tokens = new CountingTokens();
        using var http = new HttpClient();
        var client = new CloudHttpClient(http, new Uri("http://127.0.0.1:9/base"), tokens, RetryPolicy.Default, "Vertex AI");

        foreach (var outside in new[] { "http://127.0.0.1:10/base/v1/x", "http://127.0.0.2:9/base/v1/x", "https://127.0.0.1:9/base/v1/x", "http://127.0.0.1:9/other/v1/x" })
        {
            var error = await Assert.ThrowsAsync<VertexCloudException>(() => client.SendAsync(HttpMethod.Get, new Uri(outside), null, CancellationToken.None));
            Assert.Equal(DiagnosticCodes.RequestOutsideEndpoint, error.Code);
        }

        Assert.Equal(0, tokens.Calls);
        Assert.Equal("http://127.0.0.1:9/base/v1/projects/p/x", client.Url("v1/projects/p/x").ToString());
    }

    [Theory]
    [InlineData(DiagnosticCodes.InvalidLabelKey, "--label", "x:* OR state=\"JOB_STATE_FAILED\" OR labels.y=1")]
    [InlineData(DiagnosticCodes.InvalidLabelValue, "--label", "team=ml\" OR labels.x=\"y")]
    [InlineData(DiagnosticCodes.InvalidListFilter, "--filter", "create_time>\"2026-01-01T00:00:00Z\") OR (display_name:\"*\"")]
    [InlineData(DiagnosticCodes.InvalidListFilter, "--filter", "display_name=\"a) OR (b")]
    public async Task List_filters_cannot_be_widened(string code, string option, string value)
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("list", "--project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region, "--state", "running", option, value);

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains(code, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.StartsWith("/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_balanced_filter_with_parentheses_in_quotes_stays_in_its_own_parentheses()
    {
        Assert.Equal("state=\"JOB_STATE_RUNNING\" AND (display_name=\"a) OR (b\" OR create_time>\"2026-01-01T00:00:00Z\")",
            new JobListFilter().State("JOB_STATE_RUNNING").Raw("display_name=\"a) OR (b\" OR create_time>\"2026-01-01T00:00:00Z\"").Build());
        Assert.Equal("((a=1 OR b=2)) AND (display_name=\"x\\\"(\")", new JobListFilter().Raw("(a=1 OR b=2)").Raw("display_name=\"x\\\"(\"").Build());
    }

    [Fact]
    public async Task A_task_name_cannot_widen_the_log_filter()
    {
        await using var cli = await CliHarness.StartAsync();
        var job = cli.Server.AddJob("customJobs", CliHarness.Parse(CliHarness.CustomJobDocument().ToJson()), "JOB_STATE_RUNNING");

        var result = await cli.RunAsync("logs", job.Name, "--task", "x\" OR resource.type=\"gce_instance\" OR \"");

        Assert.True(result.ExitCode == ExitCodes.BadConfiguration, result.ToString());
        Assert.Contains(DiagnosticCodes.InvalidCommandLine, result.StdErr, StringComparison.Ordinal);
        Assert.Contains("its tasks are workerpool0-0", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path.Contains("entries:list", StringComparison.Ordinal));
    }

    private sealed class CountingTokens : IAccessTokenSource
    {
        public int Calls { get; private set; }

        public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult("secret-token");
        }
    }
}
