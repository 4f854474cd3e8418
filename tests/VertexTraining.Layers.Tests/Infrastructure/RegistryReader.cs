using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace VertexTraining.Layers.Tests.Infrastructure;

/// <summary>An image as the registry holds it: its layer digests (base first) and its configuration.</summary>
internal sealed record RegistryImage(string Digest, IReadOnlyList<string> Layers, JsonElement Config);

/// <summary>Reads manifests and configurations straight from a loopback registry (HTTP, optional Basic auth).</summary>
internal static class RegistryReader
{
    public static RegistryImage Read(string registry, string repository, string reference, (string User, string Password)? credentials = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}/v2/") };
        if (credentials is { } c)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.User}:{c.Password}")));
        }

        var request = new HttpRequestMessage(HttpMethod.Get, $"{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = http.Send(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {registry}/{repository}:{reference} answered {(int)response.StatusCode}");
        var digest = response.Headers.GetValues("Docker-Content-Digest").Single();
        using var manifest = JsonDocument.Parse(response.Content.ReadAsStream());
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
        var configDigest = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString();
        using var config = JsonDocument.Parse(http.GetStreamAsync($"{repository}/blobs/{configDigest}").GetAwaiter().GetResult());
        return new RegistryImage(digest, layers, config.RootElement.GetProperty("config").Clone());
    }
}
