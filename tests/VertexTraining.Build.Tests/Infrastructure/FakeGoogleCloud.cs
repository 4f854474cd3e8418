using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>A request the fake received.</summary>
internal sealed record FakeRequest(string Method, string Path, string? Authorization, string Body);

/// <summary>
/// Stands in, on loopback, for the two Google services a real (not dry-run) submit reaches: the
/// metadata server that hands out an access token (GCE_METADATA_HOST) and the Vertex AI REST API
/// (VertexApiEndpoint). It accepts customJobs / hyperparameterTuningJobs creates and answers with
/// the created job, as the v1 API does. Tests never reach a real Google endpoint.
/// </summary>
internal sealed class FakeGoogleCloud : IDisposable
{
    public const string ProjectNumber = "123456789012";
    public const string JobId = "4242424242";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly Task _loop;

    /// <param name="accessToken">The token the metadata server issues; by default a fresh random one.</param>
    public FakeGoogleCloud(string? accessToken = null)
    {
        AccessToken = accessToken ?? "ya29.fake-" + Guid.NewGuid().ToString("N");
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The access token the metadata server issues: it must never show up in a log.</summary>
    public string AccessToken { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    /// <summary>The access tokens handed out by the metadata server.</summary>
    public int TokensIssued => _requests.Count(r => r.Path.EndsWith("/service-accounts/default/token", StringComparison.Ordinal));

    /// <summary>The creates the API received.</summary>
    public IReadOnlyList<FakeRequest> Creates => [.. _requests.Where(r => r.Method == "POST" && r.Path.StartsWith("/v1/projects/", StringComparison.Ordinal))];

    /// <summary>The variables that point the CLI's credential lookup and API calls here.</summary>
    public Dictionary<string, string?> Environment() => new()
    {
        ["GCE_METADATA_HOST"] = $"127.0.0.1:{Port}",
        ["VERTEX_API_ENDPOINT"] = BaseUrl,
        ["VERTEX_LOGGING_ENDPOINT"] = BaseUrl,
    };

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener; how it ends does not matter.
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await HandleAsync(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException)
            {
                // The client went away; the next request is unaffected.
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync().ConfigureAwait(false);
        }

        var path = request.Url!.AbsolutePath;
        _requests.Enqueue(new FakeRequest(request.HttpMethod, path, request.Headers["Authorization"], body));
        var response = context.Response;

        if (path.StartsWith("/computeMetadata/v1/", StringComparison.Ordinal))
        {
            response.Headers["Metadata-Flavor"] = "Google";
            if (request.Headers["Metadata-Flavor"] != "Google")
            {
                await WriteAsync(response, 403, "text/plain", "Missing Metadata-Flavor: Google").ConfigureAwait(false);
            }
            else if (path.EndsWith("/service-accounts/default/token", StringComparison.Ordinal))
            {
                await WriteAsync(response, 200, "application/json",
                    new JsonObject { ["access_token"] = AccessToken, ["expires_in"] = 3599, ["token_type"] = "Bearer" }.ToJsonString()).ConfigureAwait(false);
            }
            else if (path.EndsWith("/service-accounts/default/email", StringComparison.Ordinal))
            {
                await WriteAsync(response, 200, "text/plain", "trainer@my-project.iam.gserviceaccount.com").ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(response, 200, "text/plain", "computeMetadata/").ConfigureAwait(false);
            }

            return;
        }

        if (request.Headers["Authorization"] != $"Bearer {AccessToken}")
        {
            await WriteAsync(response, 401, "application/json",
                """{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}""").ConfigureAwait(false);
            return;
        }

        // POST /v1/projects/{p}/locations/{l}/customJobs (or hyperparameterTuningJobs): echo the job as created.
        var segments = path.Trim('/').Split('/');
        if (request.HttpMethod == "POST" && segments is ["v1", "projects", _, "locations", var location, "customJobs" or "hyperparameterTuningJobs"]
            && JsonNode.Parse(body) is JsonObject job)
        {
            job["name"] = $"projects/{ProjectNumber}/locations/{location}/{segments[5]}/{JobId}";
            job["state"] = "JOB_STATE_PENDING";
            job["createTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
            job["updateTime"] = job["createTime"]!.GetValue<string>();
            await WriteAsync(response, 200, "application/json", job.ToJsonString()).ConfigureAwait(false);
            return;
        }

        await WriteAsync(response, 404, "application/json",
            new JsonObject
            {
                ["error"] = new JsonObject { ["code"] = 404, ["message"] = $"The fake has no {request.HttpMethod} {path}.", ["status"] = "NOT_FOUND" },
            }.ToJsonString()).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }
}
