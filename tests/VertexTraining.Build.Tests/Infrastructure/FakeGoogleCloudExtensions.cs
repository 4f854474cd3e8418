using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;

namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>What the build tests need from the linked fake Google Cloud, in the terms of a build.</summary>
internal static class FakeGoogleCloudExtensions
{
    /// <summary>The label the CLI adds to every document it creates, and only that.</summary>
    public const string SubmissionLabel = "vertex-training-submission-id";

    /// <summary>A fake whose metadata server serves <see cref="TestCredentials.MetadataAccount"/>: credentials as on a Google Cloud VM.</summary>
    /// <param name="token">The access token every grant gets (e.g. the registry's password); a fresh random one each time when null.</param>
    public static async Task<FakeGoogleCloud> StartWithMetadataServerAsync(string? token = null)
    {
        var cloud = await FakeGoogleCloud.StartAsync();
        cloud.OAuth.MetadataServiceAccount = TestCredentials.MetadataAccount;
        cloud.OAuth.NextToken = token;
        return cloud;
    }

    /// <summary>The fake's base URL without the trailing slash, as a user writes VertexApiEndpoint.</summary>
    public static string BaseUrl(this FakeGoogleCloud cloud) => cloud.BaseUri.ToString().TrimEnd('/');

    /// <summary>The variables that point the CLI's credential lookup (metadata server) and API calls at the fake.</summary>
    public static Dictionary<string, string?> MetadataServerEnvironment(this FakeGoogleCloud cloud) => new()
    {
        ["GCE_METADATA_HOST"] = cloud.HostAndPort,
        ["VERTEX_API_ENDPOINT"] = cloud.BaseUrl(),
        ["VERTEX_LOGGING_ENDPOINT"] = cloud.BaseUrl(),
        ["VERTEX_QUOTA_ENDPOINT"] = cloud.BaseUrl(),
    };

    /// <summary>The job creates the fake received: POSTs to a customJobs or hyperparameterTuningJobs collection.</summary>
    public static IReadOnlyList<RecordedRequest> Creates(this FakeGoogleCloud cloud) =>
        [.. cloud.Requests.Where(r => r.Method == "POST" && r.Path.StartsWith("/v1/projects/", StringComparison.Ordinal)
            && (r.Path.EndsWith("/customJobs", StringComparison.Ordinal) || r.Path.EndsWith("/hyperparameterTuningJobs", StringComparison.Ordinal)))];

    /// <summary>The access tokens the fake's OAuth side issued (token endpoint, STS, metadata server).</summary>
    public static IReadOnlyList<string> IssuedTokens(this FakeGoogleCloud cloud) => [.. cloud.OAuth.IssuedTokens.Keys];

    /// <summary>
    /// A create's body with the CLI's submission label taken out (and <c>labels</c> with it when it held
    /// nothing else), so it can be compared with job-request.json; <paramref name="submissionId"/> is the label's value.
    /// </summary>
    public static JsonObject BodyWithoutSubmissionLabel(this RecordedRequest create, out string submissionId)
    {
        var body = JsonNode.Parse(create.Body)!.AsObject();
        var labels = body["labels"]?.AsObject();
        Assert.True(labels?[SubmissionLabel] is not null, $"The create carries no {SubmissionLabel} label:\n{create.Body}");
        submissionId = labels![SubmissionLabel]!.GetValue<string>();
        labels.Remove(SubmissionLabel);
        if (labels.Count == 0)
        {
            body.Remove("labels");
        }

        return body;
    }
}
