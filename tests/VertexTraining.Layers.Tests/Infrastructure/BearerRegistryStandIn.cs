using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VertexTraining.Layers.Tests.Infrastructure;

/// <summary>
/// A registry on loopback that authenticates as Artifact Registry and Docker Hub do: a request
/// without a valid token gets 401 and a Bearer challenge naming its token endpoint, which trades
/// Basic credentials for a token. Manifests live in memory; counts what the tests check.
/// </summary>
internal sealed class BearerRegistryStandIn : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte> _validTokens = new();
    private readonly ConcurrentDictionary<string, (string MediaType, byte[] Content)> _manifests = new();
    private readonly Task _loop;
    private int _tokenRequests;
    private int _unauthorized;

    public BearerRegistryStandIn(string userName, string secret)
    {
        UserName = userName;
        Secret = secret;
        var port = FreePort();
        Address = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{Address}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>host:port, as written in image names.</summary>
    public string Address { get; }

    public string UserName { get; }

    /// <summary>The secret the token endpoint accepts now; tests change it to model a rotated credential.</summary>
    public string Secret { get; set; }

    public int TokenRequests => _tokenRequests;

    /// <summary>Requests answered 401 (a missing, expired or revoked token).</summary>
    public int Unauthorized => _unauthorized;

    /// <summary>Every token handed out so far stops working, as an expired one does.</summary>
    public void RevokeTokens() => _validTokens.Clear();

    /// <summary>Stores a manifest under <paramref name="tag"/> (and its digest); returns the digest.</summary>
    public string AddManifest(string repository, string tag, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var digest = Digest(bytes);
        _manifests[$"{repository}:{tag}"] = ("application/vnd.oci.image.manifest.v1+json", bytes);
        _manifests[$"{repository}:{digest}"] = ("application/vnd.oci.image.manifest.v1+json", bytes);
        return digest;
    }

    /// <summary>The digest <paramref name="tag"/> points to, or null.</summary>
    public string? DigestOf(string repository, string tag) =>
        _manifests.TryGetValue($"{repository}:{tag}", out var manifest) ? Digest(manifest.Content) : null;

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
            // Stopping the listener ends the loop with an exception; nothing to report.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url!.AbsolutePath;
            if (path == "/token")
            {
                Interlocked.Increment(ref _tokenRequests);
                var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Secret}"));
                if (request.Headers["Authorization"] != expected)
                {
                    response.StatusCode = 401;
                    return;
                }

                var token = "token-" + Guid.NewGuid().ToString("N");
                _validTokens[token] = 0;
                Write(response, 200, "application/json", Encoding.UTF8.GetBytes($"{{\"token\":\"{token}\"}}"));
                return;
            }

            var authorization = request.Headers["Authorization"] ?? "";
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_validTokens.ContainsKey(authorization["Bearer ".Length..]))
            {
                Interlocked.Increment(ref _unauthorized);
                response.Headers["WWW-Authenticate"] = $"Bearer realm=\"http://{Address}/token\",service=\"stand-in\"";
                response.StatusCode = 401;
                return;
            }

            // /v2/<repository>/manifests/<reference>
            var marker = path.LastIndexOf("/manifests/", StringComparison.Ordinal);
            if (!path.StartsWith("/v2/", StringComparison.Ordinal) || marker < 0)
            {
                response.StatusCode = 404;
                return;
            }

            var repository = path[4..marker];
            var reference = path[(marker + "/manifests/".Length)..];
            if (request.HttpMethod == "PUT")
            {
                using var body = new MemoryStream();
                request.InputStream.CopyTo(body);
                var content = body.ToArray();
                _manifests[$"{repository}:{reference}"] = (request.ContentType ?? "", content);
                _manifests[$"{repository}:{Digest(content)}"] = (request.ContentType ?? "", content);
                response.StatusCode = 201;
                return;
            }

            if (!_manifests.TryGetValue($"{repository}:{reference}", out var manifest))
            {
                response.StatusCode = 404;
                return;
            }

            response.Headers["Docker-Content-Digest"] = Digest(manifest.Content);
            Write(response, 200, manifest.MediaType, request.HttpMethod == "HEAD" ? null : manifest.Content, manifest.Content.Length);
        }
        finally
        {
            response.Close();
        }
    }

    private static void Write(HttpListenerResponse response, int status, string contentType, byte[]? body, long? length = null)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = length ?? body?.Length ?? 0;
        if (body is not null)
        {
            response.OutputStream.Write(body);
        }
    }

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
