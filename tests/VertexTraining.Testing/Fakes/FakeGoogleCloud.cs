using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VertexTraining.Testing.Fakes;

/// <summary>
/// Google Cloud on loopback, for tests: a real Kestrel server on 127.0.0.1:0 speaking the v1 JSON of
/// customJobs and hyperparameterTuningJobs (create, get, list with filter and paging, cancel), Cloud
/// Logging entries:list, the OAuth token endpoint, STS and the metadata server. It records every request
/// and injects faults on demand; jobs move through states as the test scripts them.
/// </summary>
public sealed partial class FakeGoogleCloud : IAsyncDisposable
{
    private static readonly Regex LabelKey = new(@"^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{Nd}_-]{0,63}$");
    private static readonly Regex LabelValue = new(@"^[\p{Ll}\p{Lo}\p{Nd}_-]{0,64}$");

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<Fault> _faults = [];
    private readonly List<FakeJob> _jobs = [];
    private WebApplication? _app;
    private long _nextId = 1_000_000_000_000_000_001;

    private FakeGoogleCloud()
    {
    }

    public const string ProjectId = "vertex-test-project";
    public const string ProjectNumber = "123456789012";
    public const string Region = "us-central1";

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>127.0.0.1:PORT, the form GCE_METADATA_HOST takes.</summary>
    public string HostAndPort => $"{BaseUri.Host}:{BaseUri.Port}";

    public string TokenUrl => new Uri(BaseUri, "token").ToString();

    public string StsUrl => new Uri(BaseUri, "sts/v1/token").ToString();

    public FakeOAuth OAuth { get; } = new();

    public FakeClock Clock { get; } = new();

    /// <summary>The largest page list calls return, whatever pageSize asks (forces paging).</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>Entries per entries:list page at most.</summary>
    public int MaxLogPageSize { get; set; } = 1000;

    /// <summary>entries:list first answers this many empty pages with a nextPageToken (Logging's "search timed out").</summary>
    public int EmptyLogPages { get; set; }

    /// <summary>Decides whether entries:list shows an entry yet (Cloud Logging receives some late); null shows all.</summary>
    public Func<JsonObject, bool>? LogEntryVisible { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public IReadOnlyList<FakeJob> Jobs
    {
        get
        {
            lock (_jobs)
            {
                return _jobs.ToList();
            }
        }
    }

    public static async Task<FakeGoogleCloud> StartAsync()
    {
        var fake = new FakeGoogleCloud();
        fake._app = await fake.ListenAsync(0);
        fake.BaseUri = new Uri(fake._app.Urls.Single().TrimEnd('/') + "/");
        fake.OAuth.TokenUrl = fake.TokenUrl;
        return fake;
    }

    /// <summary>Stops listening: connections to the port are refused until <see cref="ComeBackAsync"/>.</summary>
    public async Task GoDownAsync()
    {
        var app = _app!;
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Listens again on the same port, with every job and token as before.</summary>
    public async Task ComeBackAsync() => _app = await ListenAsync(BaseUri.Port);

    private async Task<WebApplication> ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Injects a fault into the next matching requests.</summary>
    public void Inject(Fault fault)
    {
        lock (_faults)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Fails the next <paramref name="times"/> requests of <paramref name="method"/> whose path ends with <paramref name="pathSuffix"/>.</summary>
    public void FailNext(string method, string pathSuffix, int status, string statusName, string message, int times = 1, TimeSpan? retryDelay = null) =>
        Inject(new Fault
        {
            Matches = r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal),
            Kind = FaultKind.Status,
            Status = status,
            StatusName = statusName,
            Message = message,
            Times = times,
            RetryDelay = retryDelay,
        });

    /// <summary>Adds a job directly, as if created earlier (by someone else).</summary>
    public FakeJob AddJob(string collection, JsonObject body, string? state = null, string location = Region)
    {
        var job = Create(collection, ProjectId, location, body);
        if (state is not null)
        {
            job.SetState(state, Clock);
        }

        return job;
    }

    public FakeJob Job(string id) => Jobs.Single(j => j.Id == id);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        request.EnableBuffering();
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        request.Body.Position = 0;
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        _requests.Enqueue(recorded);

        var fault = TakeFault(recorded);
        if (fault?.Kind == FaultKind.Status)
        {
            await FakeOAuth.WriteJson(context, fault.Status, Error(fault.Status, fault.StatusName ?? "UNAVAILABLE", fault.Message, fault.RetryDelay));
            return;
        }

        if (fault?.Kind == FaultKind.HugeBody)
        {
            var filler = new string('x', fault.Size);
            await FakeOAuth.WriteJson(context, fault.Status, fault.Status == 200
                ? new JsonObject { ["name"] = "projects/p/locations/l/customJobs/1", ["state"] = "JOB_STATE_RUNNING", ["displayName"] = filler }
                : Error(fault.Status, fault.StatusName ?? "INVALID_ARGUMENT", filler));
            return;
        }

        if (fault?.Kind == FaultKind.MalformedJson)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("<html><body>502 Bad Gateway</body></html>");
            return;
        }

        var path = recorded.Path;
        if (path == "/token")
        {
            await OAuth.HandleTokenAsync(context);
            return;
        }

        if (path == "/sts/v1/token")
        {
            await OAuth.HandleStsAsync(context);
            return;
        }

        if (path.StartsWith("/computeMetadata/", StringComparison.Ordinal))
        {
            await OAuth.HandleMetadataAsync(context);
            return;
        }

        (int Status, JsonNode Body) result;
        if (!Authorized(request))
        {
            result = (401, Error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."));
        }
        else if (path == "/v2/entries:list" && request.Method == "POST")
        {
            result = ListLogEntries(body);
        }
        else if (IsQuotaInfosPath(path) && request.Method == "GET")
        {
            result = ListQuotaInfos(request.Query);
        }
        else if (path.StartsWith("/v1/projects/", StringComparison.Ordinal))
        {
            result = HandleJobs(request.Method, path, request.Query, body);
        }
        else
        {
            result = (404, Error(404, "NOT_FOUND", $"No such method: {request.Method} {path}"));
        }

        if (fault?.Kind == FaultKind.ResetAfterHandling)
        {
            // The work is done (the job exists), but the client never hears about it.
            context.Abort();
            return;
        }

        if (fault?.Kind == FaultKind.Slow)
        {
            try
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await FakeOAuth.WriteJson(context, result.Status, result.Body);
    }

    private Fault? TakeFault(RecordedRequest request)
    {
        lock (_faults)
        {
            var fault = _faults.FirstOrDefault(f => f.Times > 0 && f.Matches(request));
            if (fault is not null)
            {
                fault.Times--;
            }

            return fault;
        }
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && OAuth.IsValid(header["Bearer ".Length..]);
    }

    private (int, JsonNode) HandleJobs(string method, string path, IQueryCollection query, string body)
    {
        // /v1/projects/{p}/locations/{l}/{collection}[/{id}[:cancel]]
        var segments = path["/v1/".Length..].Split('/');
        if (segments.Length is < 5 or > 6 || segments[0] != "projects" || segments[2] != "locations"
            || segments[4] is not ("customJobs" or "hyperparameterTuningJobs"))
        {
            return (404, Error(404, "NOT_FOUND", $"No such resource: {path}"));
        }

        var (project, location, collection) = (segments[1], segments[3], segments[4]);
        if (project != ProjectId && project != ProjectNumber)
        {
            return (403, Error(403, "PERMISSION_DENIED", $"Permission denied on resource project {project}."));
        }

        if (segments.Length == 5)
        {
            return method switch
            {
                "POST" => CreateFromBody(collection, location, body),
                "GET" => List(collection, location, query),
                _ => (405, Error(405, "METHOD_NOT_ALLOWED", method)),
            };
        }

        var id = segments[5];
        var cancel = id.EndsWith(":cancel", StringComparison.Ordinal);
        id = cancel ? id[..^":cancel".Length] : id;
        var job = Jobs.FirstOrDefault(j => j.Collection == collection && j.Id == id && j.Location == location);
        if (job is null)
        {
            var kind = collection == "customJobs" ? "CustomJob" : "HyperparameterTuningJob";
            return (404, Error(404, "NOT_FOUND", $"The {kind} does not exist."));
        }

        if (cancel && method == "POST")
        {
            return Cancel(job);
        }

        if (method != "GET")
        {
            return (405, Error(405, "METHOD_NOT_ALLOWED", method));
        }

        job.AdvanceOnGet(Clock);
        lock (job)
        {
            return (200, job.Resource.DeepClone());
        }
    }

    private (int, JsonNode) CreateFromBody(string collection, string location, string body)
    {
        JsonObject? resource;
        try
        {
            resource = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException e)
        {
            return (400, Error(400, "INVALID_ARGUMENT", $"Invalid JSON payload received. {e.Message}"));
        }

        if (resource is null)
        {
            return (400, Error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."));
        }

        if (Validate(collection, resource) is { } problem)
        {
            return (400, Error(400, "INVALID_ARGUMENT", problem));
        }

        var job = Create(collection, ProjectId, location, resource);
        lock (job)
        {
            var answer = (JsonObject)job.Resource.DeepClone();
            answer.Remove("trials");
            return (200, answer);
        }
    }

    private static string? Validate(string collection, JsonObject resource)
    {
        if (string.IsNullOrEmpty(resource["displayName"]?.GetValue<string>()))
        {
            return "List of found errors:\t1.Field: display_name; Message: Required field is not set.";
        }

        var spec = collection == "customJobs" ? resource["jobSpec"] : resource["trialJobSpec"];
        if (spec?["workerPoolSpecs"] is not JsonArray { Count: > 0 })
        {
            return $"List of found errors:\t1.Field: {(collection == "customJobs" ? "job_spec" : "trial_job_spec")}.worker_pool_specs; Message: Required field is not set.";
        }

        if (collection == "hyperparameterTuningJobs" && (resource["studySpec"] is null || resource["maxTrialCount"] is null || resource["parallelTrialCount"] is null))
        {
            return "List of found errors:\t1.Field: study_spec; Message: Required field is not set.";
        }

        if (resource["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (!LabelKey.IsMatch(key) || value is not JsonValue v || !v.TryGetValue<string>(out var text) || !LabelValue.IsMatch(text))
                {
                    return $"Invalid label: {key}";
                }
            }
        }

        return null;
    }

    private FakeJob Create(string collection, string projectId, string location, JsonObject body)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var resource = (JsonObject)body.DeepClone();
        var job = new FakeJob(collection, ProjectNumber, projectId, location, id, resource);
        var now = FakeClock.Format(Clock.Next());
        resource["name"] = job.Name;
        resource["state"] = "JOB_STATE_PENDING";
        resource["createTime"] = now;
        resource["updateTime"] = now;
        lock (_jobs)
        {
            _jobs.Add(job);
        }

        return job;
    }

    private (int, JsonNode) List(string collection, string location, IQueryCollection query)
    {
        Func<FakeJob, bool> matches;
        try
        {
            matches = FakeFilter.Parse<FakeJob>(query["filter"].ToString(), JobField);
        }
        catch (FormatException e)
        {
            return (400, Error(400, "INVALID_ARGUMENT", $"Provided filter is not valid: {e.Message}"));
        }

        var selected = Jobs.Where(j => j.Collection == collection && j.Location == location).Where(matches)
            .OrderByDescending(j => j.Resource["createTime"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
        var (page, next) = Page(selected, query["pageSize"].ToString(), query["pageToken"].ToString(), MaxPageSize);
        var items = new JsonArray();
        foreach (var job in page)
        {
            lock (job)
            {
                var item = (JsonObject)job.Resource.DeepClone();
                item.Remove("trials");
                items.Add(item);
            }
        }

        var response = new JsonObject { [collection] = items };
        if (next is not null)
        {
            response["nextPageToken"] = next;
        }

        return (200, response);
    }

    private static string? JobField(FakeJob job, string field)
    {
        lock (job)
        {
            return field switch
            {
                "state" => job.State,
                "display_name" => job.Resource["displayName"]?.GetValue<string>(),
                "create_time" => job.Resource["createTime"]?.GetValue<string>(),
                _ when field.StartsWith("labels.", StringComparison.Ordinal) => job.Resource["labels"]?[field["labels.".Length..]]?.GetValue<string>(),
                _ => throw new FormatException($"Unknown field {field}"),
            };
        }
    }

    private (int, JsonNode) Cancel(FakeJob job)
    {
        lock (job)
        {
            if (job.State is "JOB_STATE_SUCCEEDED" or "JOB_STATE_FAILED" or "JOB_STATE_CANCELLED")
            {
                return (400, Error(400, "FAILED_PRECONDITION", $"Cannot cancel job {job.Name} in state {job.State}."));
            }

            job.ClearScript();
            job.SetState("JOB_STATE_CANCELLING", Clock);
            // The next poll after the (asynchronous) cancellation sees the job CANCELLED.
            job.Script(new JobStep("JOB_STATE_CANCELLED"));
            return (200, new JsonObject());
        }
    }

    private (int, JsonNode) ListLogEntries(string body)
    {
        JsonObject request;
        try
        {
            request = (JsonObject)JsonNode.Parse(body)!;
        }
        catch (Exception e) when (e is JsonException or InvalidCastException)
        {
            return (400, Error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."));
        }

        var resourceNames = (request["resourceNames"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).ToList();
        if (!resourceNames.Contains($"projects/{ProjectId}") && !resourceNames.Contains($"projects/{ProjectNumber}"))
        {
            return (403, Error(403, "PERMISSION_DENIED", $"The caller does not have permission to read logs of {string.Join(",", resourceNames)}."));
        }

        if (EmptyLogPages > 0 && request["pageToken"] is null)
        {
            EmptyLogPages--;
            return (200, new JsonObject { ["nextPageToken"] = "o:0" });
        }

        Func<JsonObject, bool> matches;
        try
        {
            matches = FakeFilter.Parse<JsonObject>(request["filter"]?.GetValue<string>(), LogField);
        }
        catch (FormatException e)
        {
            return (400, Error(400, "INVALID_ARGUMENT", $"Invalid filter: {e.Message}"));
        }

        var entries = new List<JsonObject>();
        foreach (var job in Jobs)
        {
            lock (job)
            {
                entries.AddRange(job.LogEntries.Where(matches).Where(e => LogEntryVisible?.Invoke(e) ?? true).Select(e => (JsonObject)e.DeepClone()));
            }
        }

        var ordered = entries.OrderBy(e => DateTimeOffset.Parse(e["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (request["orderBy"]?.GetValue<string>() == "timestamp desc")
        {
            ordered.Reverse();
        }

        var (page, next) = Page(ordered, request["pageSize"]?.ToString() ?? "", request["pageToken"]?.GetValue<string>() ?? "", MaxLogPageSize);
        var response = new JsonObject { ["entries"] = new JsonArray(page.Select(e => (JsonNode)e).ToArray()) };
        if (next is not null)
        {
            response["nextPageToken"] = next;
        }

        return (200, response);
    }

    private static string? LogField(JsonObject entry, string field) => field switch
    {
        "resource.type" => entry["resource"]?["type"]?.GetValue<string>(),
        "timestamp" => entry["timestamp"]?.GetValue<string>(),
        "severity" => entry["severity"]?.GetValue<string>(),
        _ when field.StartsWith("resource.labels.", StringComparison.Ordinal) => entry["resource"]?["labels"]?[field["resource.labels.".Length..]]?.GetValue<string>(),
        _ => throw new FormatException($"Unknown field {field}"),
    };

    private static (List<T> Page, string? Next) Page<T>(List<T> items, string pageSize, string pageToken, int maxPageSize)
    {
        var size = int.TryParse(pageSize, out var requested) && requested > 0 ? Math.Min(requested, maxPageSize) : maxPageSize;
        var offset = pageToken.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(pageToken[2..], out var o) ? o : 0;
        var page = items.Skip(offset).Take(size).ToList();
        return (page, offset + size < items.Count ? $"o:{offset + size}" : null);
    }

    /// <summary>A google.rpc.Status error body, with RetryInfo when a delay is given.</summary>
    public static JsonObject Error(int code, string status, string message, TimeSpan? retryDelay = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status };
        if (retryDelay is { } delay)
        {
            error["details"] = new JsonArray(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.RetryInfo",
                ["retryDelay"] = $"{delay.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s",
            });
        }

        return new JsonObject { ["error"] = error };
    }
}
