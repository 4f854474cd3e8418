using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace VertexTraining.Core.Local;

/// <summary>
/// Reads the image id (its config digest) out of an image archive, so the runner starts exactly the image it
/// loaded even when another image with the same name is loaded at the same time. Understands the OCI layout the
/// .NET SDK writes (<c>index.json</c>) and the docker-save layout (<c>manifest.json</c>), plain or gzipped.
/// </summary>
internal static class ImageArchive
{
    /// <summary>
    /// The config digest's hex (the engine's image id) and the image's name, each null when the archive does not say.
    /// </summary>
    public static (string? Id, string? Name) Read(string archivePath)
    {
        try
        {
            var entries = ReadSmallEntries(archivePath);
            if (entries.TryGetValue("manifest.json", out var dockerManifest))
            {
                using var manifest = JsonDocument.Parse(dockerManifest);
                var image = manifest.RootElement[0];
                var config = image.GetProperty("Config").GetString();
                var name = image.TryGetProperty("RepoTags", out var tags) && tags.ValueKind == JsonValueKind.Array && tags.GetArrayLength() > 0
                    ? tags[0].GetString()
                    : null;
                return (config is null ? null : HexOf(Path.GetFileNameWithoutExtension(config.Split('/')[^1])), name);
            }

            if (entries.TryGetValue("index.json", out var indexJson))
            {
                using var index = JsonDocument.Parse(indexJson);
                var entry = index.RootElement.GetProperty("manifests")[0];
                var name = entry.TryGetProperty("annotations", out var annotations)
                    && annotations.TryGetProperty("io.containerd.image.name", out var imageName)
                        ? imageName.GetString()
                        : null;
                var manifestDigest = entry.GetProperty("digest").GetString();
                if (manifestDigest is null || !entries.TryGetValue(BlobPath(manifestDigest), out var manifestJson))
                {
                    return (null, name);
                }

                using var manifest = JsonDocument.Parse(manifestJson);
                if (manifest.RootElement.TryGetProperty("manifests", out _))
                {
                    // A nested index (multi-platform): the engine picks the platform; let it name the image.
                    return (null, name);
                }

                return (HexOf(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()), name);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            // Not an archive we understand: the engine's own output names the image instead.
        }

        return (null, null);
    }

    private static string BlobPath(string digest) => "blobs/" + digest.Replace(':', '/');

    private static string? HexOf(string? digest)
    {
        var hex = digest?.Split(':')[^1];
        return hex is { Length: 64 } && hex.All(Uri.IsHexDigit) ? hex : null;
    }

    // JSON entries are small; layers are skipped without being read into memory.
    private static Dictionary<string, byte[]> ReadSmallEntries(string archivePath)
    {
        using var file = File.OpenRead(archivePath);
        Span<byte> magic = stackalloc byte[2];
        var gzipped = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        using Stream stream = gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(stream);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || entry.Length > 1_000_000)
            {
                continue;
            }

            using var buffer = new MemoryStream();
            entry.DataStream.CopyTo(buffer);
            entries[entry.Name.TrimStart('.', '/')] = buffer.ToArray();
        }

        return entries;
    }
}
