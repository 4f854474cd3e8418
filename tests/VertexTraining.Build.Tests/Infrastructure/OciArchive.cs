using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>
/// Reads the image archive the SDK writes for ContainerArchiveOutputPath (an OCI image layout in a
/// tar, gzipped or not): its manifest digest, its config and the files in its layers.
/// </summary>
internal sealed class OciArchive
{
    private readonly Dictionary<string, byte[]> _entries;

    private OciArchive(Dictionary<string, byte[]> entries) => _entries = entries;

    public static OciArchive Load(string path)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var file = File.OpenRead(path);
        using var tar = new TarReader(IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null)
            {
                continue;
            }

            using var buffer = new MemoryStream();
            entry.DataStream.CopyTo(buffer);
            entries[entry.Name.TrimStart('.', '/')] = buffer.ToArray();
        }

        return new OciArchive(entries);
    }

    /// <summary>The digest of the single image manifest in index.json (or docker's manifest.json).</summary>
    public string ManifestDigest
    {
        get
        {
            if (_entries.TryGetValue("index.json", out var index))
            {
                var manifests = JsonNode.Parse(index)!["manifests"]!.AsArray();
                Assert.Single(manifests);
                var digest = manifests[0]!["digest"]!.GetValue<string>();
                // The blob must really be the manifest the digest names.
                Assert.Equal(digest, RegistryClient.Digest(Blob(digest)));
                return digest;
            }

            throw new InvalidOperationException($"The archive has no index.json; entries: {string.Join(", ", _entries.Keys.Take(20))}");
        }
    }

    public JsonObject Manifest => JsonNode.Parse(Blob(ManifestDigest))!.AsObject();

    public JsonObject Config => JsonNode.Parse(Blob(Manifest["config"]!["digest"]!.GetValue<string>()))!.AsObject();

    /// <summary>A file's bytes from the image's layers (last layer wins), e.g. "app/HelloTrainer.runtimeconfig.json".</summary>
    public byte[]? ReadImageFile(string pathInImage)
    {
        var wanted = pathInImage.TrimStart('/');
        byte[]? found = null;
        foreach (var layer in Manifest["layers"]!.AsArray())
        {
            using var compressed = new MemoryStream(Blob(layer!["digest"]!.GetValue<string>()));
            using var tar = new TarReader(IsGzip(compressed) ? new GZipStream(compressed, CompressionMode.Decompress) : compressed);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is not null && entry.Name.TrimStart('.', '/') == wanted)
                {
                    using var buffer = new MemoryStream();
                    entry.DataStream.CopyTo(buffer);
                    found = buffer.ToArray();
                }
            }
        }

        return found;
    }

    private byte[] Blob(string digest)
    {
        var name = "blobs/" + digest.Replace(':', '/');
        return _entries.TryGetValue(name, out var bytes)
            ? bytes
            : throw new InvalidOperationException($"The archive has no {name}");
    }

    private static bool IsGzip(Stream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = stream.Read(magic);
        stream.Seek(0, SeekOrigin.Begin);
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
