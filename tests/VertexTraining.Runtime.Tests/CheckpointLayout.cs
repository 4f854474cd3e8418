using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VertexTraining.Runtime.Tests;

/// <summary>
/// Reads a checkpoint folder as docs/checkpoints.md describes it, without the store's code: <c>step-N-ID/</c> folders,
/// each complete when <c>.checkpoint-complete</c> holds the SHA-256 of <c>.checkpoint-manifest.json</c> and every
/// file listed there has its size and SHA-256. Also checks what the test app writes: <c>state.txt</c> names the
/// SHA-256 of <c>model/weights.bin</c>, so files of two saves mixed in one folder are caught.
/// </summary>
internal static class CheckpointLayout
{
    public sealed record Entry(string Folder, long Step, bool Complete, string? Writer);

    public static IReadOnlyList<Entry> Read(string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var entries = new List<Entry>();
        foreach (var folder in Directory.GetDirectories(root))
        {
            var name = Path.GetFileName(folder);
            var parts = name.Split('-');
            if (parts.Length != 3 || parts[0] != "step")
            {
                continue;
            }

            var complete = IsComplete(folder, long.Parse(parts[1]));
            entries.Add(new Entry(folder, long.Parse(parts[1]), complete, complete ? AppState(folder, long.Parse(parts[1])) : null));
        }

        return entries.OrderBy(e => e.Step).ToList();
    }

    /// <summary>Folders left by saves that did not complete: staging folders and step folders without a valid marker.</summary>
    public static IReadOnlyList<string> Torn(string root) =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(f => Path.GetFileName(f).StartsWith(".saving-step-", StringComparison.Ordinal))
                .Concat(Read(root).Where(e => !e.Complete).Select(e => e.Folder)).ToList()
            : [];

    private static bool IsComplete(string folder, long step)
    {
        var marker = Path.Combine(folder, ".checkpoint-complete");
        var manifestPath = Path.Combine(folder, ".checkpoint-manifest.json");
        if (!File.Exists(marker) || !File.Exists(manifestPath))
        {
            return false;
        }

        var manifest = File.ReadAllBytes(manifestPath);
        if (File.ReadAllText(marker).Trim() != Xxh128(manifest))
        {
            return false;
        }

        using var document = JsonDocument.Parse(manifest);
        Assert.Equal("vertex-training-checkpoint/1", document.RootElement.GetProperty("format").GetString());
        Assert.Equal(step, document.RootElement.GetProperty("step").GetInt64());
        foreach (var file in document.RootElement.GetProperty("files").EnumerateArray())
        {
            var path = Path.Combine(folder, file.GetProperty("path").GetString()!);
            if (!File.Exists(path))
            {
                return false;
            }

            var bytes = File.ReadAllBytes(path);
            if (bytes.Length != file.GetProperty("size").GetInt64() || Xxh128(bytes) != file.GetProperty("xxh128").GetString())
            {
                return false;
            }
        }

        return true;
    }

    private static string? AppState(string folder, long step)
    {
        var statePath = Path.Combine(folder, "state.txt");
        if (!File.Exists(statePath))
        {
            return null;
        }

        var fields = File.ReadAllText(statePath).Trim().Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal(step.ToString(), fields["step"]);
        Assert.Equal(fields["weights"], Sha256(File.ReadAllBytes(Path.Combine(folder, "model", "weights.bin"))));
        return fields["writer"];
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    // XXH128's canonical (big-endian) digest, as docs/checkpoints.md specifies.
    private static string Xxh128(byte[] bytes) => Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(bytes)).ToLowerInvariant();
}
