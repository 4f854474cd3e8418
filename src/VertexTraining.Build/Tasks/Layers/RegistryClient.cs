using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>A manifest as the registry stores it: its exact bytes matter, they are what the digest covers.</summary>
internal sealed record RegistryManifest(string Digest, string MediaType, byte[] Content);

/// <summary>A registry answered with something other than what the OCI distribution API promises.</summary>
internal sealed class RegistryException(string message) : Exception(message);

/// <summary>
/// The few OCI distribution calls that reusing layers needs: does a tag exist (and with which
/// digest), and put an existing manifest under another tag. Blobs are never moved here: building
/// and pushing stays with the SDK. Authenticates with Basic or with the Bearer token handshake
/// (Artifact Registry, Docker Hub), using <see cref="RegistryCredentials"/>.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    private static readonly string[] ManifestMediaTypes =
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    private readonly HttpClient _http;
    private readonly RegistryCredential? _credential;
    // Shared by the tasks of one build (RegistrySessions): what each scope's handshake gave.
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _authorizations = new(StringComparer.Ordinal);

    /// <param name="registry">Registry as written in image names: host[:port], or docker.io.</param>
    /// <param name="credential">Used only when the registry asks for it.</param>
    public RegistryClient(string registry, RegistryCredential? credential)
    {
        Registry = registry;
        _credential = credential;
        _http = new HttpClient();
        _http.BaseAddress = BaseAddress(registry);
        _http.Timeout = TimeSpan.FromSeconds(60);
    }

    public string Registry { get; }

    /// <summary>
    /// https, except for registries listed in DOTNET_CONTAINER_INSECURE_REGISTRIES (as the SDK
    /// does); docker.io is served from registry-1.docker.io.
    /// </summary>
    public static Uri BaseAddress(string registry)
    {
        var host = registry is "docker.io" or "index.docker.io" ? "registry-1.docker.io" : registry;
        return new Uri($"{(IsInsecure(registry) ? "http" : "https")}://{host}/");
    }

    /// <summary>The SDK's list of registries it talks plain HTTP to.</summary>
    public const string InsecureRegistriesVariable = "DOTNET_CONTAINER_INSECURE_REGISTRIES";

    /// <summary>Whether <paramref name="registry"/> is listed in <see cref="InsecureRegistriesVariable"/>.</summary>
    public static bool IsInsecure(string registry) =>
        (Environment.GetEnvironmentVariable(InsecureRegistriesVariable) ?? "")
            .Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(registry, StringComparer.OrdinalIgnoreCase);

    /// <summary>The digest <paramref name="reference"/> (a tag or digest) points to, or null when the registry has no such manifest.</summary>
    public async Task<string?> FindDigestAsync(string repository, string reference, bool push, CancellationToken cancellation)
    {
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Head, repository, reference), repository, push, cancellation).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, $"HEAD {repository}:{reference}");
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { Length: > 0 } digest)
        {
            return digest;
        }

        // The header is optional in the OCI spec: the digest of the bytes is the digest.
        return (await GetManifestAsync(repository, reference, push, cancellation).ConfigureAwait(false))?.Digest;
    }

    /// <summary>The manifest's exact bytes and media type, or null when absent.</summary>
    public async Task<RegistryManifest?> GetManifestAsync(string repository, string reference, bool push, CancellationToken cancellation)
    {
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, repository, reference), repository, push, cancellation).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, $"GET {repository}:{reference}");
        var content = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypeOf(content);
        return new RegistryManifest(OciDigest.Of(content), mediaType, content);
    }

    /// <summary>Puts <paramref name="manifest"/> (already in the repository) under <paramref name="tag"/>: no blob moves.</summary>
    public async Task PutManifestAsync(string repository, string tag, RegistryManifest manifest, CancellationToken cancellation)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{tag}") { Content = new ByteArrayContent(manifest.Content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return request;
        }, repository, push: true, cancellation).ConfigureAwait(false);
        EnsureSuccess(response, $"PUT {repository}:{tag}");
    }

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage ManifestRequest(HttpMethod method, string repository, string reference)
    {
        var request = new HttpRequestMessage(method, $"v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestMediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return request;
    }

    private static string MediaTypeOf(byte[] content)
    {
        using var json = JsonDocument.Parse(content);
        return json.RootElement.TryGetProperty("mediaType", out var type) && type.GetString() is { Length: > 0 } value
            ? value
            : "application/vnd.oci.image.manifest.v1+json";
    }

    private static void EnsureSuccess(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? " (credentials missing or not allowed)" : "";
            throw new RegistryException($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}{hint}");
        }
    }

    // One try as is (anonymous, or with what an earlier handshake gave for this scope); on 401 the
    // registry's challenge says how to authenticate, and the request is sent once more.
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string repository, bool push, CancellationToken cancellation)
    {
        var scope = $"repository:{repository}:{(push ? "pull,push" : "pull")}";
        var request = create();
        if (_authorizations.TryGetValue(scope, out var known))
        {
            request.Headers.Authorization = known;
        }

        var response = await _http.SendAsync(request, cancellation).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var authorization = await AuthenticateAsync(response.Headers.WwwAuthenticate, scope, cancellation).ConfigureAwait(false);
        if (authorization is null)
        {
            return response;
        }

        response.Dispose();
        _authorizations[scope] = authorization;
        var retry = create();
        retry.Headers.Authorization = authorization;
        return await _http.SendAsync(retry, cancellation).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue?> AuthenticateAsync(HttpHeaderValueCollection<AuthenticationHeaderValue> challenges, string scope, CancellationToken cancellation)
    {
        foreach (var challenge in challenges)
        {
            if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                return _credential is null ? null : BasicHeader(_credential);
            }

            if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                var parameters = ParseChallenge(challenge.Parameter ?? "");
                if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
                {
                    throw new RegistryException($"{Registry} asked for a bearer token without a usable realm");
                }

                var query = new List<string>();
                if (parameters.TryGetValue("service", out var service))
                {
                    query.Add("service=" + Uri.EscapeDataString(service));
                }

                query.Add("scope=" + Uri.EscapeDataString(scope));
                var tokenUri = new UriBuilder(realmUri) { Query = string.Join("&", query) }.Uri;
                using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, tokenUri);
                if (_credential is not null)
                {
                    tokenRequest.Headers.Authorization = BasicHeader(_credential);
                }

                using var tokenResponse = await _http.SendAsync(tokenRequest, cancellation).ConfigureAwait(false);
                EnsureSuccess(tokenResponse, $"token request to {realmUri.Host}");
                using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false));
                var token = json.RootElement.TryGetProperty("token", out var t) ? t.GetString()
                    : json.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
                return string.IsNullOrEmpty(token)
                    ? throw new RegistryException($"the token service of {Registry} answered without a token")
                    : new AuthenticationHeaderValue("Bearer", token);
            }
        }

        return null;
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Secret}")));

    // realm="https://auth.example/token",service="registry.example",scope="..."
    private static Dictionary<string, string> ParseChallenge(string parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameter.Length)
        {
            var eq = parameter.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var name = parameter[i..eq].Trim().TrimStart(',').Trim();
            string value;
            if (eq + 1 < parameter.Length && parameter[eq + 1] == '"')
            {
                var end = parameter.IndexOf('"', eq + 2);
                end = end < 0 ? parameter.Length : end;
                value = parameter[(eq + 2)..end];
                i = end + 1;
            }
            else
            {
                var end = parameter.IndexOf(',', eq + 1);
                end = end < 0 ? parameter.Length : end;
                value = parameter[(eq + 1)..end].Trim();
                i = end;
            }

            result[name] = value;
            while (i < parameter.Length && (parameter[i] == ',' || char.IsWhiteSpace(parameter[i])))
            {
                i++;
            }
        }

        return result;
    }
}
