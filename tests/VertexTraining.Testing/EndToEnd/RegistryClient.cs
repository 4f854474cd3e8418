using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace VertexTraining.Testing;

/// <summary>A minimal OCI distribution (registry v2) client for checking what a build pushed.</summary>
public sealed class RegistryClient : IDisposable
{
    private static readonly string[] ManifestMediaTypes =
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    private readonly HttpClient _http;

    public RegistryClient(string registry, string? user = null, string? password = null)
    {
        Registry = registry;
        _http = new HttpClient { BaseAddress = new Uri($"http://{registry}/v2/"), Timeout = TimeSpan.FromSeconds(30) };
        if (user is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    public string Registry { get; }

    /// <summary>The HTTP status of GET /v2/&lt;repository&gt;/tags/list: 404 when nothing was ever pushed there.</summary>
    public HttpStatusCode TagsListStatus(string repository)
    {
        using var response = _http.GetAsync($"{repository}/tags/list").GetAwaiter().GetResult();
        return response.StatusCode;
    }

    /// <summary>Fails the test when the repository exists in the registry.</summary>
    public void AssertRepositoryAbsent(string repository, string because)
    {
        var status = TagsListStatus(repository);
        Assert.True(status == HttpStatusCode.NotFound,
            $"GET http://{Registry}/v2/{repository}/tags/list answered {(int)status} {status}, expected 404: {because}");
    }

    /// <summary>The manifest's exact bytes and media type, fetched by digest or tag.</summary>
    public (HttpStatusCode Status, byte[] Bytes, string? MediaType) GetManifest(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{repository}/manifests/{reference}");
        foreach (var type in ManifestMediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = _http.SendAsync(request).GetAwaiter().GetResult();
        var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        return (response.StatusCode, bytes, response.Content.Headers.ContentType?.MediaType);
    }

    public byte[] GetBlob(string repository, string digest)
    {
        using var response = _http.GetAsync($"{repository}/blobs/{digest}").GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, $"GET http://{Registry}/v2/{repository}/blobs/{digest} answered {(int)response.StatusCode}");
        var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        Assert.Equal(digest, Digest(bytes));
        return bytes;
    }

    /// <summary>The image config (architecture, os, config.Env/User/...) of a manifest fetched by digest.</summary>
    public JsonObject GetImageConfig(string repository, string manifestDigest)
    {
        var (status, bytes, _) = GetManifest(repository, manifestDigest);
        Assert.Equal(HttpStatusCode.OK, status);
        var manifest = JsonNode.Parse(bytes)!.AsObject();
        var configDigest = manifest["config"]!["digest"]!.GetValue<string>();
        return JsonNode.Parse(GetBlob(repository, configDigest))!.AsObject();
    }

    /// <summary>The OCI content digest of some bytes: <c>sha256:&lt;64 hex&gt;</c>.</summary>
    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Dispose() => _http.Dispose();
}
