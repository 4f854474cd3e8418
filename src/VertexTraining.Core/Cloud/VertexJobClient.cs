using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Cloud;

/// <summary>One page of a list call.</summary>
public sealed record JobPage(IReadOnlyList<VertexJob> Jobs, string? NextPageToken);

/// <summary>
/// The JobService methods of the Vertex AI v1 REST API for custom and tuning jobs: get, list, cancel
/// (retried when transient) and a single create attempt (see <see cref="JobSubmitter"/> for safe submission).
/// </summary>
public sealed class VertexJobClient
{
    private readonly CloudHttpClient _http;

    /// <summary>Creates a client for one regional endpoint.</summary>
    /// <param name="http">Authorized HTTP client for the API base (see <see cref="VertexEndpoints.ForRegion"/>).</param>
    public VertexJobClient(CloudHttpClient http)
    {
        _http = http;
    }

    /// <summary>The authorized HTTP client (for its retry policy).</summary>
    public CloudHttpClient Http => _http;

    /// <summary>Reads a job (for a tuning job, with its trials).</summary>
    public async Task<VertexJob> GetAsync(JobName name, CancellationToken cancellationToken) =>
        VertexJob.FromJson(await _http.SendAsync(HttpMethod.Get, Url(name.ToString()), null, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads a job given only its id: a custom job if one exists, else a tuning job.</summary>
    /// <exception cref="CloudApiException">VTX4005 when neither exists.</exception>
    public async Task<VertexJob> FindByIdAsync(string project, string location, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(new JobName(project, location, JobKind.CustomJob, id), cancellationToken).ConfigureAwait(false);
        }
        catch (CloudApiException e) when (e.HttpStatus == 404)
        {
        }

        try
        {
            return await GetAsync(new JobName(project, location, JobKind.HyperparameterTuningJob, id), cancellationToken).ConfigureAwait(false);
        }
        catch (CloudApiException e) when (e.HttpStatus == 404)
        {
            throw new CloudApiException(DiagnosticCodes.ApiNotFound,
                $"No custom job or hyperparameter tuning job '{id}' exists in project '{project}', region '{location}'. Check the id, --project and --region (or pass the full resource name).",
                404, e.ServiceStatus, e.ServiceMessage, e);
        }
    }

    /// <summary>Reads one page of jobs.</summary>
    /// <param name="project">Project id or number.</param>
    /// <param name="location">Region.</param>
    /// <param name="kind">Which collection.</param>
    /// <param name="filter">The list filter (cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.customJobs/list), or null.</param>
    /// <param name="pageSize">Page size, or null for the service default.</param>
    /// <param name="pageToken">The previous page's token, or null for the first page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<JobPage> ListPageAsync(string project, string location, JobKind kind, string? filter, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter))
        {
            query.Add("filter=" + Uri.EscapeDataString(filter));
        }

        if (pageSize is { } size)
        {
            query.Add("pageSize=" + size);
        }

        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add("pageToken=" + Uri.EscapeDataString(pageToken));
        }

        var path = JobName.CollectionPath(project, location, kind) + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        var body = await _http.SendAsync(HttpMethod.Get, Url(path), null, cancellationToken).ConfigureAwait(false);
        var jobs = (body[kind.ListKey()] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(job => VertexJob.FromJson((JsonObject)job.DeepClone()))
            .ToList();
        var next = body["nextPageToken"] is JsonValue value && value.TryGetValue<string>(out var token) && token.Length > 0 ? token : null;
        return new JobPage(jobs, next);
    }

    /// <summary>Every job matching <paramref name="filter"/>, page after page.</summary>
    public async IAsyncEnumerable<VertexJob> ListAllAsync(string project, string location, JobKind kind, string? filter, int? pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await ListPageAsync(project, location, kind, filter, pageSize, token, cancellationToken).ConfigureAwait(false);
            foreach (var job in page.Jobs)
            {
                yield return job;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>Asks the service to cancel a job (asynchronous, best effort; poll for the outcome).</summary>
    public Task CancelAsync(JobName name, CancellationToken cancellationToken) =>
        _http.SendAsync(HttpMethod.Post, Url(name + ":cancel"), new JsonObject(), cancellationToken);

    /// <summary>One create request, the body sent as given. Not retried: see <see cref="JobSubmitter"/>.</summary>
    public Task<CloudCallOutcome> TryCreateOnceAsync(string project, string location, JobKind kind, JsonObject body, CancellationToken cancellationToken) =>
        _http.TrySendOnceAsync(HttpMethod.Post, Url(JobName.CollectionPath(project, location, kind)), body, cancellationToken);

    // Paths are built from JobName and CollectionPath, whose segments are checked.
    private Uri Url(string pathAndQuery) => _http.Url("v1/" + pathAndQuery);
}
