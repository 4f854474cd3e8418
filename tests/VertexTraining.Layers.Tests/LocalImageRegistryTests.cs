using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VertexTraining.Build.Tasks.Layers;

namespace VertexTraining.Layers.Tests;

/// <summary>
/// The loopback OCI registry that the SDK pushes to and the local container engine pulls from:
/// the distribution API over HttpClient (and raw sockets where HttpClient would tidy the path),
/// its store on disk, and a real podman push and pull.
/// </summary>
public sealed class LocalImageRegistryTests : IDisposable
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "vertex-local-registry-" + Guid.NewGuid().ToString("N"));
    private readonly string _store;
    private readonly LocalImageRegistry _registry;
    private readonly HttpClient _http;
    private readonly ITestOutputHelper _output;

    public LocalImageRegistryTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_root);
        _store = Path.Combine(_root, "store");
        _registry = LocalImageRegistry.Start(_store);
        _http = Client(_registry);
    }

    public void Dispose()
    {
        _http.Dispose();
        _registry.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task The_base_endpoint_answers_with_the_api_version_and_the_store_is_created()
    {
        Assert.Matches(@"^127\.0\.0\.1:\d+$", _registry.Address);
        Assert.Equal(Path.GetFullPath(_store), _registry.StoreDirectory);
        using var response = await _http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal("registry/2.0", Header(response, "Docker-Distribution-API-Version"));
        foreach (var folder in new[] { "blobs/sha256", "manifests/sha256", "repositories", "uploads" })
        {
            Assert.True(Directory.Exists(Path.Combine(_store, folder)), folder);
        }
    }

    [Fact]
    public async Task A_chunked_upload_becomes_a_blob_that_head_and_get_serve()
    {
        var content = RandomBytes(300_000);
        var digest = Digest(content);

        using var start = await _http.PostAsync("/v2/a/b/c/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("0-0", Header(start, "Range"));
        var uuid = Header(start, "Docker-Upload-UUID");
        var location = start.Headers.Location!.ToString();
        Assert.Equal($"/v2/a/b/c/blobs/uploads/{uuid}", location);
        Assert.Equal("registry/2.0", Header(start, "Docker-Distribution-API-Version"));

        // The first chunk says where it starts (the SDK does); the second does not (podman does not).
        using var first = await Patch(location, content[..100_000], contentRange: "0-99999");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-99999", Header(first, "Range"));
        Assert.Equal(location, first.Headers.Location!.ToString());

        using var wrongStart = await Patch(location, content[..10], contentRange: "5-14");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, wrongStart.StatusCode);

        using var second = await Patch(first.Headers.Location!.ToString(), content[100_000..]);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("0-299999", Header(second, "Range"));

        using var status = await _http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-299999", Header(status, "Range"));

        // "?&digest=", escaped, exactly as the SDK's container library sends it.
        using var finish = await _http.PutAsync($"{second.Headers.Location}?&digest={Uri.EscapeDataString(digest)}", null);
        Assert.Equal(HttpStatusCode.Created, finish.StatusCode);
        Assert.Equal($"/v2/a/b/c/blobs/{digest}", finish.Headers.Location!.ToString());
        Assert.Equal(digest, Header(finish, "Docker-Content-Digest"));

        await AssertBlob("a/b/c", digest, content);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_store, "blobs", "sha256", digest[7..])));
        Assert.Empty(Directory.GetFiles(Path.Combine(_store, "uploads")));

        using var finished = await _http.GetAsync(location);
        await AssertError(finished, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task A_final_put_may_carry_the_last_bytes_and_a_streamed_body_is_written_as_it_comes()
    {
        // Not seekable and of no announced length, so HttpClient sends it chunked, as podman does.
        const long size = 40L * 1024 * 1024;
        var digest = PatternStream.Digest(size);
        var tail = Encoding.UTF8.GetBytes("tail");
        using var expectedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        expectedHash.AppendData(PatternStream.Bytes(size));
        expectedHash.AppendData(tail);
        var withTail = "sha256:" + Convert.ToHexString(expectedHash.GetHashAndReset()).ToLowerInvariant();

        using var start = await _http.PostAsync("/v2/big/blobs/uploads/", null);
        using var patch = await Patch(start.Headers.Location!.ToString(), new StreamContent(new PatternStream(size)));
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        Assert.Equal($"0-{size - 1}", Header(patch, "Range"));
        using var finish = await _http.PutAsync($"{patch.Headers.Location}?digest={withTail}", new ByteArrayContent(tail));
        Assert.Equal(HttpStatusCode.Created, finish.StatusCode);

        using var head = await Head($"/v2/big/blobs/{withTail}");
        Assert.Equal(size + tail.Length, head.Content.Headers.ContentLength);
        await using var body = await _http.GetStreamAsync($"/v2/big/blobs/{withTail}");
        Assert.Equal(withTail, "sha256:" + Convert.ToHexString(await SHA256.HashDataAsync(body)).ToLowerInvariant());
        Assert.NotEqual(digest, withTail);
    }

    [Fact]
    public async Task A_monolithic_post_with_a_digest_stores_the_blob_at_once()
    {
        var content = RandomBytes(5_000);
        var digest = Digest(content);
        using var response = await _http.PostAsync($"/v2/mono/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/mono/blobs/{digest}", response.Headers.Location!.ToString());
        Assert.Equal(digest, Header(response, "Docker-Content-Digest"));
        await AssertBlob("mono", digest, content);
        Assert.Empty(Directory.GetFiles(Path.Combine(_store, "uploads")));
    }

    [Fact]
    public async Task Content_that_does_not_match_its_digest_is_refused_and_never_stored()
    {
        var content = RandomBytes(4_000);
        var claimed = Digest(RandomBytes(10));

        using var mono = await _http.PostAsync($"/v2/bad/blobs/uploads/?digest={claimed}", new ByteArrayContent(content));
        await AssertError(mono, HttpStatusCode.BadRequest, "DIGEST_INVALID");

        using var start = await _http.PostAsync("/v2/bad/blobs/uploads/", null);
        using var patch = await Patch(start.Headers.Location!.ToString(), content);
        using var finish = await _http.PutAsync($"{patch.Headers.Location}?digest={claimed}", null);
        await AssertError(finish, HttpStatusCode.BadRequest, "DIGEST_INVALID");

        using var head = await Head($"/v2/bad/blobs/{claimed}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_store, "blobs", "sha256")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_store, "uploads")));
    }

    [Fact]
    public async Task Mounting_a_blob_that_exists_anywhere_creates_it_and_an_unknown_one_starts_an_upload()
    {
        var content = RandomBytes(1_000);
        var digest = Digest(content);
        (await _http.PostAsync($"/v2/from/repo/blobs/uploads/?digest={digest}", new ByteArrayContent(content))).Dispose();

        using var mount = await _http.PostAsync($"/v2/to/repo/blobs/uploads/?mount={digest}&from=from/repo", null);
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal($"/v2/to/repo/blobs/{digest}", mount.Headers.Location!.ToString());
        Assert.Equal(digest, Header(mount, "Docker-Content-Digest"));

        // Blobs are global: the source repository does not even have to be the one it was pushed to.
        using var elsewhere = await _http.PostAsync($"/v2/third/blobs/uploads/?mount={digest}&from=never/pushed", null);
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        await AssertBlob("third", digest, content);

        using var unknown = await _http.PostAsync($"/v2/to/repo/blobs/uploads/?mount={Digest(RandomBytes(5))}&from=from/repo", null);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.StartsWith("/v2/to/repo/blobs/uploads/", unknown.Headers.Location!.ToString());

        // Never finished (the client pushed the blob another way): gone when the registry stops.
        Assert.Single(Directory.GetFiles(Path.Combine(_store, "uploads")));
        _registry.Dispose();
        Assert.Empty(Directory.GetFiles(Path.Combine(_store, "uploads")));
    }

    [Fact]
    public async Task A_manifest_put_by_tag_is_served_by_tag_and_by_digest_with_its_media_type()
    {
        var manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[]}""");
        var digest = Digest(manifest);

        using var put = await PutManifest("team/app", "v1.0", manifest, DockerManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal($"/v2/team/app/manifests/{digest}", put.Headers.Location!.ToString());
        Assert.Equal(digest, Header(put, "Docker-Content-Digest"));
        Assert.Equal(digest, File.ReadAllText(Path.Combine(_store, "repositories", "team", "app", "tags", "v1.0")));
        Assert.Equal(DockerManifest, File.ReadAllText(Path.Combine(_store, "manifests", "sha256", digest[7..] + ".media-type")));

        foreach (var reference in new[] { "v1.0", digest })
        {
            using var head = await Head($"/v2/team/app/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(DockerManifest, head.Content.Headers.ContentType!.MediaType);
            Assert.Equal(manifest.Length, head.Content.Headers.ContentLength);
            Assert.Equal(digest, Header(head, "Docker-Content-Digest"));

            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/team/app/manifests/{reference}");
            request.Headers.Accept.ParseAdd(OciManifest);
            using var get = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(DockerManifest, get.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest, Header(get, "Docker-Content-Digest"));
            Assert.Equal(manifest, await get.Content.ReadAsByteArrayAsync());
        }

        // By digest: the digest must be the content's; the default media type is OCI's.
        var other = Encoding.UTF8.GetBytes("""{"schemaVersion":2}""");
        using var mismatch = await PutManifest("team/app", digest, other, null);
        await AssertError(mismatch, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var byDigest = await PutManifest("team/app", Digest(other), other, null);
        Assert.Equal(HttpStatusCode.Created, byDigest.StatusCode);
        using var otherGet = await _http.GetAsync($"/v2/team/app/manifests/{Digest(other)}");
        Assert.Equal(OciManifest, otherGet.Content.Headers.ContentType!.MediaType);

        // A tag moves; the tag list shows the repository's tags.
        using var moved = await PutManifest("team/app", "v1.0", other, OciManifest);
        using var movedHead = await Head("/v2/team/app/manifests/v1.0");
        Assert.Equal(Digest(other), Header(movedHead, "Docker-Content-Digest"));
        using var tags = await _http.GetAsync("/v2/team/app/tags/list");
        Assert.Equal("""{"name":"team/app","tags":["v1.0"]}""", await tags.Content.ReadAsStringAsync());

        // A manifest is a blob too; a layer is not a manifest.
        await AssertBlob("team/app", digest, manifest);
        var layer = RandomBytes(100);
        (await _http.PostAsync($"/v2/team/app/blobs/uploads/?digest={Digest(layer)}", new ByteArrayContent(layer))).Dispose();
        using var layerAsManifest = await _http.GetAsync($"/v2/team/app/manifests/{Digest(layer)}");
        await AssertError(layerAsManifest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Unknown_blobs_manifests_and_uploads_are_404_with_the_oci_error_code()
    {
        var missing = Digest(RandomBytes(8));
        using var blob = await _http.GetAsync($"/v2/x/blobs/{missing}");
        await AssertError(blob, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var blobHead = await Head($"/v2/x/blobs/{missing}");
        Assert.Equal(HttpStatusCode.NotFound, blobHead.StatusCode);

        using var byTag = await _http.GetAsync("/v2/x/manifests/latest");
        await AssertError(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var byDigest = await _http.GetAsync($"/v2/x/manifests/{missing}");
        await AssertError(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");

        using var upload = await Patch("/v2/x/blobs/uploads/0123456789abcdef0123456789abcdef", [1, 2, 3]);
        await AssertError(upload, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var status = await _http.GetAsync("/v2/x/blobs/uploads/0123456789abcdef0123456789abcdef");
        await AssertError(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");

        using var delete = await _http.DeleteAsync($"/v2/x/manifests/{missing}");
        await AssertError(delete, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        using var catalog = await _http.GetAsync("/v2/_catalog");
        Assert.Equal(HttpStatusCode.NotFound, catalog.StatusCode);
    }

    [Fact]
    public async Task Names_tags_digests_and_uploads_that_could_leave_the_store_are_refused_and_write_nothing()
    {
        var hex = new string('a', 64);
        var body = Encoding.UTF8.GetBytes("""{"schemaVersion":2}""");
        var attempts = new (string Method, string Target)[]
        {
            ("GET", $"/v2/../x/blobs/sha256:{hex}"),
            ("PUT", "/v2/../../x/manifests/latest"),
            ("PUT", "/v2/%2e%2e/%2e%2e/x/manifests/latest"),
            ("PUT", "/v2/%2E%2E%2F%2E%2E%2Fx/manifests/latest"),
            ("PUT", "/v2/a/./b/manifests/latest"),
            ("PUT", "/v2//tmp/x/manifests/latest"),
            ("PUT", "/v2/A/manifests/latest"),
            ("PUT", "/v2/a/manifests/..%2F..%2F..%2Fescaped"),
            ("PUT", "/v2/a/manifests/%2e%2e"),
            ("PUT", "/v2/a/manifests/.hidden"),
            ("PUT", $"/v2/a/manifests/sha256:{hex}%0A"),
            ("PUT", "/v2/a/manifests/sha256:..%2F..%2Fescaped"),
            ("GET", "/v2/a/blobs/sha256:../../etc/passwd"),
            ("GET", "/v2/a/blobs/sha256%3A..%2F..%2Fetc%2Fpasswd"),
            ("HEAD", $"/v2/a/blobs/sha256:{hex.ToUpperInvariant()}"),
            ("POST", "/v2/a/blobs/uploads/?digest=sha256:../../escaped"),
            ("POST", "/v2/a/blobs/uploads/?digest=sha256%3A..%2F..%2Fescaped"),
            ("POST", "/v2/a/blobs/uploads/?mount=sha256:../../etc/passwd&from=b"),
            ("POST", $"/v2/a/blobs/uploads/?mount=sha256:{hex}&from=..%2F.."),
            ("PATCH", "/v2/a/blobs/uploads/..%2F..%2Fescaped"),
            ("PATCH", "/v2/a/blobs/uploads/%2e%2e"),
            ("PUT", $"/v2/a/blobs/uploads/../../escaped?digest=sha256:{hex}"),
            ("GET", "/v2/a/blobs/uploads/..%2Fblobs%2Fsha256"),
            ("DELETE", "/v2/a/blobs/uploads/..%2F..%2Frepositories"),
        };

        foreach (var (method, target) in attempts)
        {
            var status = await RawStatusAsync(_registry.Address, method, target, body);
            _output.WriteLine($"{method} {target} -> {status}");
            Assert.True(status is >= 400 and < 500, $"{method} {target} answered {status}");
        }

        Assert.Equal(["store"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(_store, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_store, "repositories")));

        // And the server still answers.
        using var ping = await _http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task Two_servers_on_one_store_see_each_others_blobs_and_tags()
    {
        using var other = LocalImageRegistry.Start(_store);
        using var otherHttp = Client(other);
        Assert.NotEqual(_registry.Address, other.Address);

        var content = RandomBytes(2_000);
        var digest = Digest(content);
        (await _http.PostAsync($"/v2/one/blobs/uploads/?digest={digest}", new ByteArrayContent(content))).Dispose();
        using var head = await otherHttp.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/two/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content, await otherHttp.GetByteArrayAsync($"/v2/one/blobs/{digest}"));

        var manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"config":{}}""");
        using (var request = new HttpRequestMessage(HttpMethod.Put, "/v2/one/manifests/shared") { Content = new ByteArrayContent(manifest) })
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
            using var put = await otherHttp.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var get = await _http.GetAsync("/v2/one/manifests/shared");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(Digest(manifest), Header(get, "Docker-Content-Digest"));

        // An upload started on one server is that server's; the other can still finish it from the file.
        using var start = await otherHttp.PostAsync("/v2/one/blobs/uploads/", null);
        using var patch = await otherHttp.PatchAsync(start.Headers.Location, new ByteArrayContent(content[..1000]));
        using var finish = await _http.PutAsync($"{patch.Headers.Location}?digest={digest}", new ByteArrayContent(content[1000..]));
        Assert.Equal(HttpStatusCode.Created, finish.StatusCode);
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_blob_all_succeed_and_leave_one_copy()
    {
        var content = RandomBytes(1_000_000);
        var digest = Digest(content);
        using var other = LocalImageRegistry.Start(_store);
        using var otherHttp = Client(other);

        var uploads = Enumerable.Range(0, 8).Select(async i =>
        {
            var http = i % 2 == 0 ? _http : otherHttp;
            if (i % 4 < 2)
            {
                using var mono = await http.PostAsync($"/v2/race/{i}/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
                return mono.StatusCode;
            }

            using var start = await http.PostAsync($"/v2/race/{i}/blobs/uploads/", null);
            using var patch = await http.PatchAsync(start.Headers.Location, new ByteArrayContent(content));
            using var finish = await http.PutAsync($"{patch.Headers.Location}?digest={digest}", null);
            return finish.StatusCode;
        });

        Assert.All(await Task.WhenAll(uploads), status => Assert.Equal(HttpStatusCode.Created, status));
        Assert.Equal([digest[7..]], Directory.GetFiles(Path.Combine(_store, "blobs", "sha256")).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(_store, "uploads")));
        await AssertBlob("race/0", digest, content);
    }

    [Fact]
    public async Task A_failure_inside_a_handler_is_a_500_with_an_oci_error_and_the_server_keeps_serving()
    {
        // A folder where a blob should be: opening it fails inside the handler.
        var digest = Digest(RandomBytes(16));
        Directory.CreateDirectory(Path.Combine(_store, "blobs", "sha256", digest[7..]));
        using var get = await _http.GetAsync($"/v2/x/blobs/{digest}");
        await AssertError(get, HttpStatusCode.InternalServerError, "UNKNOWN");

        using var ping = await _http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task Dispose_lets_a_request_in_flight_finish_and_then_stops_listening()
    {
        var registry = LocalImageRegistry.Start(_store);
        using var http = Client(registry);
        using var start = await http.PostAsync("/v2/slow/blobs/uploads/", null);
        var uuid = Header(start, "Docker-Upload-UUID");
        var upload = Path.Combine(_store, "uploads", uuid);

        // Half the body now, half once Dispose has begun.
        var content = RandomBytes(200_000);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, int.Parse(registry.Address.Split(':')[1]));
        var stream = tcp.GetStream();
        var head = $"PATCH {start.Headers.Location} HTTP/1.1\r\nHost: {registry.Address}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(content.AsMemory(0, 100_000));
        Assert.True(SpinWait.SpinUntil(() => new FileInfo(upload).Length == 100_000, TimeSpan.FromSeconds(10)), "the first half never arrived");

        var disposing = Task.Run(registry.Dispose);
        await Task.Delay(300);
        Assert.False(disposing.IsCompleted, "Dispose did not wait for the request in flight");
        await stream.WriteAsync(content.AsMemory(100_000));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.Equal("HTTP/1.1 202 Accepted", await reader.ReadLineAsync());
        var headers = new List<string>();
        while (await reader.ReadLineAsync() is { Length: > 0 } line)
        {
            headers.Add(line);
        }

        // The whole body was taken ...
        Assert.Contains($"Range: 0-{content.Length - 1}", headers);
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        // ... and the upload, which no later registry could finish, was removed when this one stopped.
        Assert.False(File.Exists(upload));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("/v2/"));
        registry.Dispose();
    }

    [PodmanOnPathFact]
    public void Podman_pushes_to_the_registry_and_pulls_the_image_back_by_digest()
    {
        TestEnvironment.RequirePodman();
        var baseImage = $"{TestEnvironment.BaseImageRepository}:12.4.1-base-ubuntu22.04";
        var image = $"{_registry.Address}/roundtrip/img";
        var digestFile = Path.Combine(_root, "digest");

        // A store of its own for the pull, so that every layer comes from this registry rather than
        // from the layers podman's default store already has.
        // (podman refuses a runroot path over 50 characters, hence one of its own in /tmp.)
        var runRoot = Path.Combine("/tmp", "vlr-" + Guid.NewGuid().ToString("N")[..8]);
        var isolated = new[] { "--root", Path.Combine(_root, "podman-root"), "--runroot", runRoot, "--storage-driver", "vfs" };
        string? pulledByDigest = null;
        try
        {
            Podman("pull", "-q", "--tls-verify=false", baseImage);
            Podman("tag", baseImage, image + ":t1");
            Podman("push", "--tls-verify=false", "--digestfile", digestFile, image + ":t1");
            var digest = File.ReadAllText(digestFile).Trim();
            Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
            Assert.Equal(digest, File.ReadAllText(Path.Combine(_store, "repositories", "roundtrip", "img", "tags", "t1")));
            Podman("rmi", image + ":t1");

            pulledByDigest = $"{image}@{digest}";
            Podman("pull", "--tls-verify=false", pulledByDigest);
            var inspect = Podman("image", "inspect", "--format", "{{json .RepoDigests}}", pulledByDigest);
            Assert.Contains(pulledByDigest, inspect);

            Podman([.. isolated, "pull", "--tls-verify=false", pulledByDigest]);
            var layers = Podman([.. isolated, "image", "inspect", "--format", "{{len .RootFS.Layers}}", pulledByDigest]);
            Assert.True(int.Parse(layers.Trim().Split('\n')[^1]) > 0, layers);
        }
        finally
        {
            // Only what this test made: its tag and the by-digest name (the base image stays for the other tests).
            ProcessRunner.Run("podman", ["rmi", "--ignore", image + ":t1"], _root, TimeSpan.FromMinutes(1));
            if (pulledByDigest is not null)
            {
                ProcessRunner.Run("podman", ["rmi", "--ignore", pulledByDigest], _root, TimeSpan.FromMinutes(1));
                ProcessRunner.Run("podman", [.. isolated, "rmi", "--all", "--force"], _root, TimeSpan.FromMinutes(1));
            }

            if (Directory.Exists(runRoot))
            {
                Directory.Delete(runRoot, recursive: true);
            }
        }
    }

    // ---- helpers ----

    private string Podman(params string[] arguments)
    {
        var result = ProcessRunner.Run("podman", arguments, _root, TimeSpan.FromMinutes(5));
        _output.WriteLine(result.Describe());
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.Output;
    }

    private static HttpClient Client(LocalImageRegistry registry) =>
        new() { BaseAddress = new Uri($"http://{registry.Address}"), Timeout = TimeSpan.FromSeconds(60) };

    private Task<HttpResponseMessage> Head(string path) => _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

    private Task<HttpResponseMessage> Patch(string location, byte[] content, string? contentRange = null)
    {
        var body = new ByteArrayContent(content);
        if (contentRange is not null)
        {
            body.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        }

        return Patch(location, body);
    }

    private async Task<HttpResponseMessage> Patch(string location, HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PutManifest(string name, string reference, byte[] manifest, string? mediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/{name}/manifests/{reference}") { Content = new ByteArrayContent(manifest) };
        if (mediaType is not null)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        return await _http.SendAsync(request);
    }

    private async Task AssertBlob(string name, string digest, byte[] content)
    {
        using var head = await Head($"/v2/{name}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        Assert.Equal(digest, Header(head, "Docker-Content-Digest"));
        Assert.Equal("application/octet-stream", head.Content.Headers.ContentType!.MediaType);

        using var get = await _http.GetAsync($"/v2/{name}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(digest, Header(get, "Docker-Content-Digest"));
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("registry/2.0", Header(response, "Docker-Distribution-API-Version"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"no {name} header in the {(int)response.StatusCode} response");

    /// <summary>
    /// The status of a request sent exactly as written: HttpClient would resolve the dot segments
    /// of the path before sending it, which is the very thing under test.
    /// </summary>
    private static async Task<int> RawStatusAsync(string address, string method, string target, byte[] body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, int.Parse(address.Split(':')[1]), timeout.Token);
        var stream = tcp.GetStream();
        var head = $"{method} {target} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {OciManifest}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException($"{method} {target}: no answer");
        return int.Parse(statusLine.Split(' ')[1]);
    }

    private static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    /// <summary>A long, non-seekable body made on the fly, so the test itself holds none of it.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public static byte At(long position) => (byte)(position * 31 % 251);

        public static byte[] Bytes(long length)
        {
            var bytes = new byte[length];
            for (long i = 0; i < length; i++)
            {
                bytes[i] = At(i);
            }

            return bytes;
        }

        public static string Digest(long length) => LocalImageRegistryTests.Digest(Bytes(length));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = At(_position + i);
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// Podman on PATH and the prepared test environment (the stand-in base image, VERTEX_TEST_PODMAN=1);
/// skipped with the reason otherwise, except in CI, where <see cref="TestEnvironment.RequirePodman"/> fails it.
/// </summary>
public sealed class PodmanOnPathFactAttribute : FactAttribute
{
    public PodmanOnPathFactAttribute()
    {
        if (TestEnvironment.IsRequired)
        {
            return;
        }

        if (TestEnvironment.PodmanUnavailableReason is { } reason)
        {
            Skip = reason;
        }
        else if (!OnPath("podman"))
        {
            Skip = "podman is not on PATH";
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
