using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VertexTraining.Runtime;

/// <summary>
/// Checkpoints in one folder (by default <c>AIP_CHECKPOINT_DIR</c>): <see cref="Save(long, Action{string})"/> makes a
/// checkpoint visible only once every file of it is written, <see cref="TryLoadLatest"/> returns the newest
/// complete one. A process killed at any instant of a save leaves the previous checkpoint as the latest.
/// </summary>
/// <remarks>
/// <para>
/// Layout (docs/checkpoints.md): each save writes into its own staging folder <c>.saving-step-N-ID/</c>, then
/// adds <c>.checkpoint-manifest.json</c> (every file's path, size and XXH128 hash), renames the folder to
/// <c>step-N-ID/</c> and, last, writes <c>.checkpoint-complete</c> holding the manifest's XXH128 hash. A checkpoint
/// counts only when that marker exists, matches the manifest, and every listed file matches the manifest.
/// </para>
/// <para>
/// Completeness does not rest on the rename: on Cloud Storage FUSE (the <c>/gcs/</c> mount on Vertex AI) a
/// folder rename copies object by object, so a killed rename can leave a half-copied <c>step-N-ID/</c>. It has
/// no marker, so it does not count. Every save has its own ID, so replicas or processes saving at the same
/// moment never write into each other's folders; of two checkpoints of the same step the one whose name sorts
/// last wins.
/// </para>
/// </remarks>
public sealed partial class CheckpointStore
{
    /// <summary>The file, in a checkpoint folder, listing every file with its size and XXH128 hash.</summary>
    public const string ManifestFileName = ".checkpoint-manifest.json";

    /// <summary>The file written last, holding the manifest's XXH128 hash (lowercase hex): a checkpoint without it is not complete.</summary>
    public const string CompleteMarkerFileName = ".checkpoint-complete";

    /// <summary>The <c>format</c> member of the manifest.</summary>
    public const string ManifestFormat = "vertex-training-checkpoint/1";

    private const string StagingPrefix = ".saving-";

    private readonly string _origin;

    /// <summary>Creates a store on a folder; the folder is created by the first save.</summary>
    /// <param name="directory">The checkpoint folder (a local or <c>/gcs/</c> path; a <c>gs://</c> URI is mapped to its <c>/gcs/</c> path).</param>
    /// <param name="options">Pruning and replica options; defaults when null.</param>
    public CheckpointStore(string directory, CheckpointStoreOptions? options = null)
        : this(directory, options, origin: "given to the CheckpointStore constructor")
    {
    }

    internal CheckpointStore(string directory, CheckpointStoreOptions? options, string origin)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Options = options ?? new CheckpointStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.KeepLast, 1, "options.KeepLast");
        Directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(GcsPath.ToLocal(directory)));
        _origin = origin;
    }

    /// <summary>The save stages the test hooks see, in order.</summary>
    internal static class Stages
    {
        public const string FilesWritten = "files-written";
        public const string ManifestWritten = "manifest-written";
        public const string Moved = "moved";
    }

    /// <summary>The checkpoint folder.</summary>
    public string Directory { get; }

    /// <summary>The options this store was created with.</summary>
    public CheckpointStoreOptions Options { get; }

    /// <summary>
    /// The newest complete checkpoint, by step number (not by time); <see langword="null"/> when there is none.
    /// Folders of saves that never completed are skipped.
    /// </summary>
    public Checkpoint? TryLoadLatest()
    {
        foreach (var candidate in Candidates().Where(c => !c.IsStaging))
        {
            if (IsComplete(candidate.Path, candidate.Step, Options.VerifyContents))
            {
                return new Checkpoint(candidate.Step, candidate.Path);
            }
        }

        return null;
    }

    /// <summary>
    /// Saves a checkpoint: <paramref name="write"/> writes the app's files into the folder it is given (a fresh,
    /// empty one); the checkpoint becomes visible to <see cref="TryLoadLatest"/> only once all of them are written.
    /// Older checkpoints beyond <see cref="CheckpointStoreOptions.KeepLast"/> are then removed.
    /// </summary>
    /// <param name="step">The training step (epoch, batch, ...) this checkpoint holds; zero or more.</param>
    /// <param name="write">Writes the checkpoint's files into the given folder.</param>
    /// <returns>The saved checkpoint, or <see langword="null"/> when this replica does not save (<see cref="CheckpointStoreOptions.SavesOnThisReplica"/>).</returns>
    /// <exception cref="CheckpointStoreException">The checkpoint folder cannot be written.</exception>
    public Checkpoint? Save(long step, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return SaveAsync(step, directory =>
        {
            write(directory);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
    }

    /// <summary>Saves a checkpoint whose files are written asynchronously; see <see cref="Save(long, Action{string})"/>.</summary>
    /// <param name="step">The training step this checkpoint holds; zero or more.</param>
    /// <param name="write">Writes the checkpoint's files into the given folder.</param>
    /// <returns>The saved checkpoint, or <see langword="null"/> when this replica does not save.</returns>
    /// <exception cref="CheckpointStoreException">The checkpoint folder cannot be written.</exception>
    public async Task<Checkpoint?> SaveAsync(long step, Func<string, Task> write)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentNullException.ThrowIfNull(write);
        if (!Options.SavesOnThisReplica)
        {
            return null;
        }

        var name = FolderName(step, NewSaveId());
        var staging = Path.Combine(Directory, StagingPrefix + name);
        var final = Path.Combine(Directory, name);
        CreateStaging(staging);
        try
        {
            await write(staging).ConfigureAwait(false);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }

        try
        {
            AtStage(Stages.FilesWritten, staging);
            var manifest = WriteManifest(staging, step);
            AtStage(Stages.ManifestWritten, staging);
            Move(staging, final);
            AtStage(Stages.Moved, final);
            WriteDurably(Path.Combine(final, CompleteMarkerFileName), Encoding.ASCII.GetBytes(ContentHash(manifest) + "\n"));
        }
        catch (Exception e)
        {
            TryDelete(staging);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw NotWritable(e);
            }

            throw;
        }

        Prune();
        return new Checkpoint(step, final);
    }

    /// <summary>
    /// Removes complete checkpoints beyond <see cref="CheckpointStoreOptions.KeepLast"/> (never the newest) and
    /// the folders of saves that never completed once they are older than
    /// <see cref="CheckpointStoreOptions.AbandonedSaveAge"/> and a complete checkpoint of at least their step
    /// exists. Runs after every save; failures (another process pruning the same folder) are ignored.
    /// </summary>
    public void Prune()
    {
        var candidates = Candidates().ToList();

        // Sizes and the manifest's hash, not every file's contents: hashing gigabytes after every save costs more
        // than it protects, and whatever is kept is still verified in full when it is loaded.
        var complete = candidates.Where(c => !c.IsStaging && IsComplete(c.Path, c.Step, verifyContents: false)).ToList();
        foreach (var old in complete.Skip(Options.KeepLast))
        {
            // The marker goes first, so a folder half deleted by a kill is never complete.
            TryDeleteFile(Path.Combine(old.Path, CompleteMarkerFileName));
            TryDelete(old.Path);
        }

        if (complete.Count == 0)
        {
            return;
        }

        var newestStep = complete[0].Step;
        var cutoff = DateTime.UtcNow - Options.AbandonedSaveAge;
        foreach (var leftover in candidates.Except(complete))
        {
            if (leftover.Step <= newestStep && LastWriteUtc(leftover.Path) <= cutoff)
            {
                TryDelete(leftover.Path);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => Directory;

    private void AtStage(string stage, string folder) => Options.Hooks?.AtStage?.Invoke(stage, folder);

    private void Move(string from, string to)
    {
        if (Options.Hooks?.MoveDirectory is { } move)
        {
            move(from, to);
        }
        else
        {
            System.IO.Directory.Move(from, to);
        }
    }

    private void CreateStaging(string staging)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            System.IO.Directory.CreateDirectory(staging);

            // Creating a folder can succeed where writing a file does not (a read-only mount); find out now.
            var probe = Path.Combine(staging, ".write-test");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(staging);
            throw NotWritable(e);
        }
    }

    private CheckpointStoreException NotWritable(Exception e) => new(
        Directory,
        $"Cannot write checkpoints to '{Directory}' ({_origin}): {e.Message} " +
        $"The training app must be able to create and write files there: on Vertex AI {TrainingEnvironment.CheckpointDirVariable} " +
        "lies under the job's base output directory (VertexBaseOutputDirectory), which the job's service account must be able to write; " +
        $"elsewhere set {TrainingEnvironment.CheckpointDirVariable} to a writable folder.",
        e);

    /// <summary>Flushes every file the app wrote to disk, hashes it, and writes the manifest; returns the manifest's bytes.</summary>
    private static byte[] WriteManifest(string staging, long step)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", ManifestFormat);
            json.WriteNumber("step", step);
            json.WriteStartArray("files");
            foreach (var file in System.IO.Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(staging, file).Replace(Path.DirectorySeparatorChar, '/');
                if (relative is ManifestFileName or CompleteMarkerFileName)
                {
                    throw new InvalidOperationException($"A checkpoint may not contain a file named {relative}: the store writes it itself.");
                }

                var (size, hash) = FlushAndHash(file);
                json.WriteStartObject();
                json.WriteString("path", relative);
                json.WriteNumber("size", size);
                json.WriteString("xxh128", hash);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var manifest = buffer.ToArray();
        WriteDurably(Path.Combine(staging, ManifestFileName), manifest);
        return manifest;
    }

    private static (long Size, string Hash) FlushAndHash(string file)
    {
        // Opened for writing only so that Flush(true) reaches fsync; nothing is written.
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        stream.Flush(flushToDisk: true);
        var hash = ContentHash(stream);
        return (stream.Length, hash);
    }

    private static void WriteDurably(string path, byte[] content)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    private static bool IsComplete(string folder, long step, bool verifyContents)
    {
        try
        {
            var marker = File.ReadAllText(Path.Combine(folder, CompleteMarkerFileName), Encoding.ASCII).Trim();
            var manifest = File.ReadAllBytes(Path.Combine(folder, ManifestFileName));
            if (!string.Equals(marker, ContentHash(manifest), StringComparison.Ordinal))
            {
                return false;
            }

            using var document = JsonDocument.Parse(manifest);
            var root = document.RootElement;
            if (root.GetProperty("format").GetString() != ManifestFormat || root.GetProperty("step").GetInt64() != step)
            {
                return false;
            }

            foreach (var entry in root.GetProperty("files").EnumerateArray())
            {
                var relative = entry.GetProperty("path").GetString() ?? "";
                var path = Path.GetFullPath(Path.Combine(folder, relative));
                if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    return false;
                }

                var info = new FileInfo(path);
                if (!info.Exists || info.Length != entry.GetProperty("size").GetInt64())
                {
                    return false;
                }

                if (verifyContents)
                {
                    using var stream = info.OpenRead();
                    if (ContentHash(stream) != entry.GetProperty("xxh128").GetString())
                    {
                        return false;
                    }
                }
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException
                                      or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Missing, half-copied or being deleted by another process: not a complete checkpoint.
            return false;
        }
    }

    private IEnumerable<Candidate> Candidates()
    {
        string[] folders;
        try
        {
            folders = System.IO.Directory.GetDirectories(Directory);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointStoreException(Directory, $"Cannot list checkpoints in '{Directory}' ({_origin}): {e.Message}", e);
        }

        var candidates = new List<Candidate>();
        foreach (var folder in folders)
        {
            var match = FolderPattern().Match(Path.GetFileName(folder));
            if (match.Success && long.TryParse(match.Groups["step"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            {
                candidates.Add(new Candidate(folder, step, match.Groups["staging"].Success, match.Groups["id"].Value));
            }
        }

        // Newest first: by step, then by save id so that equal steps are ordered the same way in every process.
        return candidates.OrderByDescending(c => c.Step).ThenByDescending(c => c.Id, StringComparer.Ordinal);
    }

    private static string FolderName(long step, string id) =>
        $"step-{step.ToString("D12", CultureInfo.InvariantCulture)}-{id}";

    // Guid.NewGuid, not RandomNumberGenerator: on Linux .NET draws RandomNumberGenerator's bytes from OpenSSL, which a
    // CUDA base need not carry ("No usable version of libssl was found", exit 139, on the stand-in base). The id only
    // keeps concurrent savers' folders apart, so unpredictability is not needed.
    private static string NewSaveId() => Guid.NewGuid().ToString("N")[..12];

    // XXH128 (System.IO.Hashing, managed code), not SHA-256: .NET hashes SHA-256 through OpenSSL on Linux, and the
    // nvidia/cuda bases (like any minimal Ubuntu image) may have no libssl, so a save would crash the trainer there.
    // The hash guards against torn and half-copied files, not against tampering, so a non-cryptographic one serves.
    private static string ContentHash(byte[] bytes) => Hex(XxHash128.Hash(bytes));

    private static string ContentHash(Stream stream)
    {
        var hash = new XxHash128();
        hash.Append(stream);
        return Hex(hash.GetCurrentHash());
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static DateTime LastWriteUtc(string folder)
    {
        try
        {
            var newest = System.IO.Directory.GetLastWriteTimeUtc(folder);
            foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var written = File.GetLastWriteTimeUtc(file);
                newest = written > newest ? written : newest;
            }

            return newest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DateTime.MaxValue;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Already gone, or being removed by another process: either way it is not counted.
        }
    }

    private static void TryDeleteFile(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex(@"^(?<staging>\.saving-)?step-(?<step>\d{1,19})-(?<id>[0-9a-f]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex FolderPattern();

    private sealed record Candidate(string Path, long Step, bool IsStaging, string Id);
}
