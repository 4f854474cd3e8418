using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VertexTraining.Core.Local;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// A small OCI distribution registry on loopback, backed by a folder, so that the SDK can push an
/// image that the local container engine then pulls by digest. HttpListener only: MSBuild task
/// hosts cannot load ASP.NET Core.
/// </summary>
/// <remarks>
/// Several builds, in several processes, may share one store: every file is written under another
/// name and renamed into place, and content is named by its digest, so races write the same bytes.
/// Blobs are global (one user's cache): a blob pushed to any repository is present in all of them.
/// Layout: blobs/sha256/&lt;hex&gt; (layers, configs and manifests), manifests/sha256/&lt;hex&gt;.media-type,
/// repositories/&lt;name&gt;/tags/&lt;tag&gt; (holding the digest) and uploads/&lt;uuid&gt;.
/// </remarks>
public sealed partial class LocalImageRegistry : IDisposable
{
    private const string DefaultManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    // The distribution spec's own limit; manifests are read into memory, blobs never are.
    private const int MaxManifestBytes = 4 * 1024 * 1024;
    private const int CopyBufferBytes = 1024 * 1024;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    // Old enough that no build still writes it; younger ones may belong to another process.
    private static readonly TimeSpan StaleUploadAge = TimeSpan.FromDays(1);

    private readonly HttpListener _listener;
    private readonly Task _acceptLoop;
    private readonly string _blobs;
    private readonly string _mediaTypes;
    private readonly string _repositories;
    private readonly string _uploads;
    private readonly ConcurrentDictionary<string, UploadState> _uploadStates = new(StringComparer.Ordinal);
    private int _active;
    private int _disposed;

    private LocalImageRegistry(string store, HttpListener listener, int port)
    {
        StoreDirectory = store;
        Address = LoopbackPorts.Host + ":" + port.ToString(CultureInfo.InvariantCulture);
        _listener = listener;
        _blobs = Path.Combine(store, "blobs", "sha256");
        _mediaTypes = Path.Combine(store, "manifests", "sha256");
        _repositories = Path.Combine(store, "repositories");
        _uploads = Path.Combine(store, "uploads");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>host:port to put in image names, e.g. 127.0.0.1:41234 (plain HTTP).</summary>
    public string Address { get; }

    /// <summary>The folder that holds the blobs, manifests and tags (full path).</summary>
    public string StoreDirectory { get; }

    /// <summary>Creates the store if needed and serves it on a free loopback port until disposed.</summary>
    public static LocalImageRegistry Start(string storeDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeDirectory);
        var store = Path.GetFullPath(storeDirectory);
        foreach (var folder in new[] { "blobs/sha256", "manifests/sha256", "repositories", "uploads" })
        {
            Directory.CreateDirectory(Path.Combine(store, folder));
        }

        DeleteStaleUploads(Path.Combine(store, "uploads"));

        // HttpListener cannot bind port 0: ask the OS for a free port, then bind it, and retry when
        // another process took it in between.
        const int attempts = 10;
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.Allocate(1)[0];
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{LoopbackPorts.Host}:{port}/");
            try
            {
                listener.Start();
                return new LocalImageRegistry(store, listener, port);
            }
            catch (Exception e) when (attempt < attempts && e is HttpListenerException or SocketException)
            {
                try
                {
                    listener.Close();
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }

    /// <summary>Stops accepting, lets requests in flight finish (briefly), then closes the listener.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Closing the listener aborts its connections, so wait for the handlers first.
        SpinWait.SpinUntil(() => Volatile.Read(ref _active) == 0, DrainTimeout);
        try
        {
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        _acceptLoop.Wait(DrainTimeout);
        // An upload still open when the build's registry stops can never be finished: clients
        // start one per failed cross-repository mount and then push the blob another way, which
        // left two empty files in uploads/ per container run.
        foreach (var (uuid, state) in _uploadStates)
        {
            state.Hash?.Dispose();
            TryDelete(UploadPath(uuid));
        }

        _uploadStates.Clear();
    }

    private bool Disposed => Volatile.Read(ref _disposed) != 0;

    private static void DeleteStaleUploads(string uploads)
    {
        foreach (var file in new DirectoryInfo(uploads).EnumerateFiles())
        {
            try
            {
                if (DateTime.UtcNow - file.LastWriteTimeUtc > StaleUploadAge)
                {
                    file.Delete();
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (Disposed || !_listener.IsListening)
            {
                return;
            }
            catch (Exception)
            {
                // A client that went away before its request was read: nothing to answer, and the
                // loop must go on serving the others.
                continue;
            }

            Interlocked.Increment(ref _active);
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            if (Disposed)
            {
                await ErrorAsync(context, 503, "UNAVAILABLE", "the registry is shutting down").ConfigureAwait(false);
            }
            else
            {
                await RouteAsync(context).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // The client may be gone, or the headers already sent: then all that is left is to drop the connection.
            try
            {
                // Part of the body may be unread: this connection cannot carry another request.
                response.KeepAlive = false;
                await ErrorAsync(context, 500, "UNKNOWN", $"{e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            }
            catch (Exception)
            {
                response.Abort();
            }
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception)
            {
                // Aborted above, or the client hung up.
            }

            Interlocked.Decrement(ref _active);
        }
    }

    private Task RouteAsync(HttpListenerContext context)
    {
        var method = context.Request.HttpMethod;

        // RawUrl, not Url: Url has its dot segments resolved, and names must be checked as sent.
        var raw = context.Request.RawUrl ?? "";
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? raw : raw[..queryStart];
        var query = ParseQuery(queryStart < 0 ? "" : raw[(queryStart + 1)..]);

        if (path is "/v2" or "/v2/")
        {
            return method is "GET" or "HEAD"
                ? JsonAsync(context, 200, "{}"u8.ToArray())
                : MethodNotAllowed(context);
        }

        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return ErrorAsync(context, 404, "NAME_UNKNOWN", "not an OCI distribution API path");
        }

        // Decoded one segment at a time, so %2F cannot add a separator the checks below do not see;
        // every decoded name, tag, digest and uuid is then matched against its strict pattern.
        var segments = path["/v2/".Length..].Split('/').Select(Uri.UnescapeDataString).ToArray();

        // Repository names contain slashes: the route starts at the last blobs/manifests segment
        // that has something after it.
        var split = -1;
        for (var i = segments.Length - 2; i >= 1; i--)
        {
            if (segments[i] is "blobs" or "manifests")
            {
                split = i;
                break;
            }
        }

        var isTagList = split < 0 && segments.Length >= 3 && segments[^2] == "tags" && segments[^1] == "list";
        if (split < 0 && !isTagList)
        {
            return ErrorAsync(context, 404, "NAME_UNKNOWN", "unknown path");
        }

        var name = string.Join('/', segments[..(isTagList ? segments.Length - 2 : split)]);
        if (!IsRepositoryName(name))
        {
            return ErrorAsync(context, 400, "NAME_INVALID", "invalid repository name");
        }

        if (isTagList)
        {
            return method is "GET" or "HEAD" ? ListTagsAsync(context, name) : MethodNotAllowed(context);
        }

        var rest = segments[(split + 1)..];
        if (segments[split] == "manifests")
        {
            if (rest.Length != 1)
            {
                return ErrorAsync(context, 404, "MANIFEST_UNKNOWN", "unknown path");
            }

            return method switch
            {
                "GET" or "HEAD" => GetManifestAsync(context, name, rest[0]),
                "PUT" => PutManifestAsync(context, name, rest[0]),
                _ => MethodNotAllowed(context),
            };
        }

        if (rest[0] != "uploads")
        {
            if (rest.Length != 1)
            {
                return ErrorAsync(context, 404, "BLOB_UNKNOWN", "unknown path");
            }

            return method is "GET" or "HEAD" ? GetBlobAsync(context, rest[0]) : MethodNotAllowed(context);
        }

        if (rest.Length == 1 || (rest.Length == 2 && rest[1].Length == 0))
        {
            return method == "POST" ? StartUploadAsync(context, name, query) : MethodNotAllowed(context);
        }

        if (rest.Length != 2)
        {
            return ErrorAsync(context, 404, "BLOB_UPLOAD_UNKNOWN", "unknown path");
        }

        return method switch
        {
            "PATCH" => PatchUploadAsync(context, name, rest[1]),
            "PUT" => FinishUploadAsync(context, name, rest[1], query),
            "GET" => UploadStatusAsync(context, name, rest[1]),
            "DELETE" => CancelUploadAsync(context, rest[1]),
            _ => MethodNotAllowed(context),
        };
    }

    // ---- blobs ----

    private async Task GetBlobAsync(HttpListenerContext context, string digest)
    {
        if (!IsDigest(digest))
        {
            await ErrorAsync(context, 400, "DIGEST_INVALID", "invalid digest").ConfigureAwait(false);
            return;
        }

        FileStream file;
        try
        {
            // FileShare.Delete: a concurrent commit of the same blob may rename over it.
            file = new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            await ErrorAsync(context, 404, "BLOB_UNKNOWN", "blob unknown to registry").ConfigureAwait(false);
            return;
        }

        await using (file.ConfigureAwait(false))
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "application/octet-stream";
            response.ContentLength64 = file.Length;
            response.Headers["Docker-Content-Digest"] = digest;
            if (context.Request.HttpMethod != "HEAD")
            {
                await file.CopyToAsync(response.OutputStream, CopyBufferBytes).ConfigureAwait(false);
            }
        }
    }

    private async Task StartUploadAsync(HttpListenerContext context, string name, Dictionary<string, string> query)
    {
        if (query.TryGetValue("mount", out var mount))
        {
            if (!IsDigest(mount) || (query.TryGetValue("from", out var from) && !IsRepositoryName(from)))
            {
                context.Response.KeepAlive = false;
                await ErrorAsync(context, 400, IsDigest(mount) ? "NAME_INVALID" : "DIGEST_INVALID", "invalid mount").ConfigureAwait(false);
                return;
            }

            // Blobs are global, so any source repository will do; an unknown blob starts an ordinary upload, as the spec allows.
            if (File.Exists(BlobPath(mount)))
            {
                await DrainAsync(context.Request).ConfigureAwait(false);
                BlobCreated(context.Response, name, mount);
                return;
            }
        }

        var uuid = Guid.NewGuid().ToString("N");
        if (query.TryGetValue("digest", out var digest))
        {
            // Monolithic upload: the whole blob in the POST body.
            if (!IsDigest(digest))
            {
                await ErrorAsync(context, 400, "DIGEST_INVALID", "invalid digest").ConfigureAwait(false);
                return;
            }

            var temp = UploadPath(uuid);
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await AppendAsync(context.Request.InputStream, temp, hash).ConfigureAwait(false);
                if (!await CommitBlobAsync(context, temp, digest, hash.GetHashAndReset()).ConfigureAwait(false))
                {
                    return;
                }
            }
            finally
            {
                TryDelete(temp);
            }

            BlobCreated(context.Response, name, digest);
            return;
        }

        await DrainAsync(context.Request).ConfigureAwait(false);
        await File.WriteAllBytesAsync(UploadPath(uuid), []).ConfigureAwait(false);
        _uploadStates[uuid] = new UploadState();
        UploadAccepted(context.Response, 202, name, uuid, 0);
    }

    private async Task PatchUploadAsync(HttpListenerContext context, string name, string uuid)
    {
        if (await LockUploadAsync(context, uuid).ConfigureAwait(false) is not { } state)
        {
            return;
        }

        try
        {
            var file = UploadPath(uuid);
            var size = new FileInfo(file).Length;
            var range = context.Request.Headers["Content-Range"];
            if (!string.IsNullOrEmpty(range))
            {
                if (!TryParseRangeStart(range, out var start))
                {
                    await ErrorAsync(context, 400, "BLOB_UPLOAD_INVALID", "malformed Content-Range").ConfigureAwait(false);
                    return;
                }

                if (start != size)
                {
                    context.Response.KeepAlive = false;
                    SetUploadHeaders(context.Response, name, uuid, size);
                    await ErrorAsync(context, 416, "BLOB_UPLOAD_INVALID", $"the upload has {size} bytes; a chunk must start there").ConfigureAwait(false);
                    return;
                }
            }

            size = await AppendToUploadAsync(context.Request.InputStream, file, state, size).ConfigureAwait(false);
            UploadAccepted(context.Response, 202, name, uuid, size);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task FinishUploadAsync(HttpListenerContext context, string name, string uuid, Dictionary<string, string> query)
    {
        if (!query.TryGetValue("digest", out var digest) || !IsDigest(digest))
        {
            await ErrorAsync(context, 400, "DIGEST_INVALID", "missing or invalid digest").ConfigureAwait(false);
            return;
        }

        if (await LockUploadAsync(context, uuid).ConfigureAwait(false) is not { } state)
        {
            return;
        }

        var file = UploadPath(uuid);
        try
        {
            var size = new FileInfo(file).Length;
            if (context.Request.HasEntityBody)
            {
                size = await AppendToUploadAsync(context.Request.InputStream, file, state, size).ConfigureAwait(false);
            }

            byte[] actual;
            if (state.Hash is not null && state.HashedBytes == size)
            {
                actual = state.Hash.GetHashAndReset();
            }
            else
            {
                // Chunks this process did not see (or a failed one): hash what is on disk.
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes, useAsync: true);
                actual = await SHA256.HashDataAsync(stream).ConfigureAwait(false);
            }

            if (!await CommitBlobAsync(context, file, digest, actual).ConfigureAwait(false))
            {
                return;
            }

            BlobCreated(context.Response, name, digest);
        }
        finally
        {
            // Finished or rejected, the upload is over either way.
            EndUpload(uuid);

            state.Gate.Release();
        }
    }

    private async Task UploadStatusAsync(HttpListenerContext context, string name, string uuid)
    {
        if (await LockUploadAsync(context, uuid).ConfigureAwait(false) is not { } state)
        {
            return;
        }

        try
        {
            UploadAccepted(context.Response, 204, name, uuid, new FileInfo(UploadPath(uuid)).Length);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task CancelUploadAsync(HttpListenerContext context, string uuid)
    {
        if (await LockUploadAsync(context, uuid).ConfigureAwait(false) is not { } state)
        {
            return;
        }

        try
        {
            EndUpload(uuid);

            context.Response.StatusCode = 204;
            context.Response.ContentLength64 = 0;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Deletes an upload's file and forgets its running hash.</summary>
    private void EndUpload(string uuid)
    {
        TryDelete(UploadPath(uuid));
        if (_uploadStates.TryRemove(uuid, out var removed))
        {
            removed.Hash?.Dispose();
        }
    }

    /// <summary>The upload's state, locked (chunks of one upload must not interleave); null once a 404 is sent.</summary>
    private async Task<UploadState?> LockUploadAsync(HttpListenerContext context, string uuid)
    {
        if (!UuidPattern().IsMatch(uuid) || !File.Exists(UploadPath(uuid)))
        {
            context.Response.KeepAlive = false;
            await ErrorAsync(context, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry").ConfigureAwait(false);
            return null;
        }

        // An upload started by another process on this store (or before a restart) has no hash yet.
        var state = _uploadStates.GetOrAdd(uuid, _ => new UploadState { Hash = null });
        await state.Gate.WaitAsync().ConfigureAwait(false);
        if (!File.Exists(UploadPath(uuid)))
        {
            state.Gate.Release();
            context.Response.KeepAlive = false;
            await ErrorAsync(context, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry").ConfigureAwait(false);
            return null;
        }

        return state;
    }

    private static async Task<long> AppendToUploadAsync(Stream body, string file, UploadState state, long size)
    {
        // Hash as the bytes arrive, so finishing a multi-gigabyte layer does not read it all again.
        var hash = state.Hash is not null && state.HashedBytes == size ? state.Hash : null;
        try
        {
            var total = size + await AppendAsync(body, file, hash).ConfigureAwait(false);
            if (hash is not null)
            {
                state.HashedBytes = total;
            }

            return total;
        }
        catch
        {
            // Part of the chunk may be on disk: hash the file when the upload finishes.
            state.Hash?.Dispose();
            state.Hash = null;
            throw;
        }
    }

    private static async Task<long> AppendAsync(Stream body, string file, IncrementalHash? hash)
    {
        await using var output = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.None, 1, useAsync: true);
        // Pooled: this server runs inside MSBuild's process, where a fresh 1 MiB array per upload
        // lands on the large-object heap and sets off full collections of the build's whole heap.
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            long written = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, CopyBufferBytes)).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                hash?.AppendData(buffer, 0, read);
                written += read;
            }

            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Renames a verified upload into blobs/, or deletes it and answers 400.</summary>
    private async Task<bool> CommitBlobAsync(HttpListenerContext context, string file, string digest, byte[] actual)
    {
        if (!string.Equals(digest, OciDigest.FromSha256(actual), StringComparison.Ordinal))
        {
            // Gone before the client hears of the refusal, so no one sees a rejected upload's bytes.
            TryDelete(file);
            await ErrorAsync(context, 400, "DIGEST_INVALID", "the content does not match the digest").ConfigureAwait(false);
            return false;
        }

        MoveIntoPlace(file, BlobPath(digest));
        return true;
    }

    // ---- manifests and tags ----

    private async Task GetManifestAsync(HttpListenerContext context, string name, string reference)
    {
        string? digest;
        if (reference.Contains(':', StringComparison.Ordinal))
        {
            if (!IsDigest(reference))
            {
                await ErrorAsync(context, 400, "DIGEST_INVALID", "invalid digest").ConfigureAwait(false);
                return;
            }

            digest = reference;
        }
        else if (!IsTag(reference))
        {
            await ErrorAsync(context, 400, "TAG_INVALID", "invalid tag").ConfigureAwait(false);
            return;
        }
        else
        {
            digest = ReadIfExists(TagPath(name, reference))?.Trim();
        }

        // Only what was PUT as a manifest has a media type: a layer is not served as one.
        var mediaType = digest is not null && IsDigest(digest) ? ReadIfExists(MediaTypePath(digest))?.Trim() : null;
        byte[]? content = null;
        if (mediaType is not null)
        {
            try
            {
                content = await File.ReadAllBytesAsync(BlobPath(digest!)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
            }
        }

        if (content is null)
        {
            await ErrorAsync(context, 404, "MANIFEST_UNKNOWN", "manifest unknown to registry").ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = mediaType;
        response.ContentLength64 = content.Length;
        response.Headers["Docker-Content-Digest"] = digest;
        if (context.Request.HttpMethod != "HEAD")
        {
            await response.OutputStream.WriteAsync(content).ConfigureAwait(false);
        }
    }

    private async Task PutManifestAsync(HttpListenerContext context, string name, string reference)
    {
        var byDigest = reference.Contains(':', StringComparison.Ordinal);
        if (byDigest ? !IsDigest(reference) : !IsTag(reference))
        {
            context.Response.KeepAlive = false;
            await ErrorAsync(context, 400, byDigest ? "DIGEST_INVALID" : "TAG_INVALID", "invalid reference").ConfigureAwait(false);
            return;
        }

        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        if (mediaType.Length == 0)
        {
            mediaType = DefaultManifestMediaType;
        }

        if (!MediaTypePattern().IsMatch(mediaType))
        {
            context.Response.KeepAlive = false;
            await ErrorAsync(context, 400, "MANIFEST_INVALID", "invalid Content-Type").ConfigureAwait(false);
            return;
        }

        var content = await ReadLimitedAsync(context.Request.InputStream, MaxManifestBytes).ConfigureAwait(false);
        if (content is null)
        {
            context.Response.KeepAlive = false;
            await ErrorAsync(context, 413, "SIZE_INVALID", $"a manifest may have at most {MaxManifestBytes} bytes").ConfigureAwait(false);
            return;
        }

        try
        {
            using var _ = JsonDocument.Parse(content);
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 400, "MANIFEST_INVALID", "the manifest is not JSON").ConfigureAwait(false);
            return;
        }

        var digest = OciDigest.Of(content);
        if (byDigest && reference != digest)
        {
            await ErrorAsync(context, 400, "DIGEST_INVALID", "the manifest does not match the digest").ConfigureAwait(false);
            return;
        }

        // Media type before blob before tag: whoever finds the tag finds a complete manifest.
        WriteAtomically(MediaTypePath(digest), Encoding.UTF8.GetBytes(mediaType));
        if (!File.Exists(BlobPath(digest)))
        {
            WriteAtomically(BlobPath(digest), content);
        }

        if (!byDigest)
        {
            WriteAtomically(TagPath(name, reference), Encoding.UTF8.GetBytes(digest));
        }

        var response = context.Response;
        response.StatusCode = 201;
        response.ContentLength64 = 0;
        response.Headers["Location"] = $"/v2/{name}/manifests/{digest}";
        response.Headers["Docker-Content-Digest"] = digest;
    }

    private Task ListTagsAsync(HttpListenerContext context, string name)
    {
        var folder = Path.Combine(_repositories, name, "tags");
        if (!Directory.Exists(folder))
        {
            return ErrorAsync(context, 404, "NAME_UNKNOWN", "repository name not known to registry");
        }

        var tags = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Where(t => t is not null && IsTag(t)).Order(StringComparer.Ordinal).ToArray();
        return JsonAsync(context, 200, JsonSerializer.SerializeToUtf8Bytes(new { name, tags }));
    }

    // ---- responses ----

    private static void BlobCreated(HttpListenerResponse response, string name, string digest)
    {
        response.StatusCode = 201;
        response.ContentLength64 = 0;
        response.Headers["Location"] = $"/v2/{name}/blobs/{digest}";
        response.Headers["Docker-Content-Digest"] = digest;
    }

    private static void UploadAccepted(HttpListenerResponse response, int status, string name, string uuid, long size)
    {
        response.StatusCode = status;
        response.ContentLength64 = 0;
        SetUploadHeaders(response, name, uuid, size);
    }

    private static void SetUploadHeaders(HttpListenerResponse response, string name, string uuid, long size)
    {
        response.Headers["Location"] = $"/v2/{name}/blobs/uploads/{uuid}";
        response.Headers["Docker-Upload-UUID"] = uuid;

        // Inclusive end; an empty upload reads 0-0, as the reference registry writes it.
        response.Headers["Range"] = $"0-{Math.Max(size - 1, 0).ToString(CultureInfo.InvariantCulture)}";
    }

    private static Task MethodNotAllowed(HttpListenerContext context) =>
        ErrorAsync(context, 405, "UNSUPPORTED", $"{context.Request.HttpMethod} is not supported here");

    private static Task ErrorAsync(HttpListenerContext context, int status, string code, string message) =>
        JsonAsync(context, status, JsonSerializer.SerializeToUtf8Bytes(new { errors = new[] { new { code, message } } }));

    private static async Task JsonAsync(HttpListenerContext context, int status, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        if (context.Request.HttpMethod != "HEAD")
        {
            await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        }
    }

    // ---- store ----

    private string BlobPath(string digest) => Path.Combine(_blobs, digest["sha256:".Length..]);

    private string MediaTypePath(string digest) => Path.Combine(_mediaTypes, digest["sha256:".Length..] + ".media-type");

    private string TagPath(string name, string tag) => Path.Combine(_repositories, name, "tags", tag);

    private string UploadPath(string uuid) => Path.Combine(_uploads, uuid);

    private void WriteAtomically(string destination, byte[] content)
    {
        var temp = Path.Combine(_uploads, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllBytes(temp, content);
            MoveIntoPlace(temp, destination, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>A rename within the store: readers see the old file or the new one, never half of one.</summary>
    private static void MoveIntoPlace(string source, string destination, bool overwrite = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (!overwrite && File.Exists(destination))
        {
            // Named by its digest: what is there already is the same content.
            return;
        }

        try
        {
            File.Move(source, destination, overwrite: true);
        }
        catch (IOException) when (!overwrite && File.Exists(destination))
        {
            // Another writer won the race (Windows refuses to replace an open file); same bytes.
        }
    }

    private static string? ReadIfExists(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // (A folder where the file should be: repository "a/tags" beside a tag "tags" of "a".)
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // ---- request parsing ----

    private static async Task DrainAsync(HttpListenerRequest request)
    {
        if (request.HasEntityBody)
        {
            await request.InputStream.CopyToAsync(Stream.Null).ConfigureAwait(false);
        }
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            values.TryAdd(key, value);
        }

        return values;
    }

    /// <summary>The first offset of "0-1023", "bytes 0-1023/*" or "bytes=0-1023".</summary>
    private static bool TryParseRangeStart(string header, out long start)
    {
        var match = ContentRangePattern().Match(header.Trim());
        start = 0;
        return match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out start);
    }

    private static bool IsDigest(string value) => DigestPattern().IsMatch(value);

    private static bool IsTag(string value) => TagPattern().IsMatch(value);

    private static bool IsRepositoryName(string value) => value.Length <= 255 && RepositoryPattern().IsMatch(value);

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"\Asha256:[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    // The OCI spec's name grammar: no component can be empty, "." or "..".
    [GeneratedRegex(@"\A[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"\A[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UuidPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\z", RegexOptions.CultureInvariant)]
    private static partial Regex MediaTypePattern();

    [GeneratedRegex(@"\A(?:bytes[ =])?([0-9]{1,18})-[0-9]{1,18}(?:/(?:[0-9]{1,18}|\*))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContentRangePattern();

    /// <summary>An upload's running hash; Gate keeps its chunks in order.</summary>
    private sealed class UploadState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IncrementalHash? Hash { get; set; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long HashedBytes { get; set; }
    }
}
