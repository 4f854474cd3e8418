using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// SHA-256 of files, remembered in a small text file next to the staging folders. A trainer's
/// native libraries weigh hundreds of megabytes; hashing them again on every publish would cost
/// seconds, while publish only rewrites a file with a new time stamp. A file is hashed again when
/// its size or last write time changed (the rule incremental builds and image builders use).
/// </summary>
internal sealed class FileHashCache
{
    private readonly string? _cacheFile;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <param name="cacheFile">Where to remember hashes; null keeps nothing between runs.</param>
    public FileHashCache(string? cacheFile)
    {
        _cacheFile = cacheFile;
        if (cacheFile is null || !File.Exists(cacheFile))
        {
            return;
        }

        foreach (var line in File.ReadLines(cacheFile))
        {
            var parts = line.Split('\t');
            if (parts.Length == 4
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                _entries[parts[0]] = new Entry(length, ticks, parts[3]);
            }
        }
    }

    /// <summary>How many files were read and hashed by the last <see cref="HashAll"/>.</summary>
    public int FilesHashed { get; private set; }

    /// <summary>Content hash (lower-case hex) of every file, keyed by the path given.</summary>
    public IReadOnlyDictionary<string, string> HashAll(IReadOnlyList<string> paths)
    {
        var result = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var hashed = 0;
        // Hashing is CPU-bound and files are independent: use the cores a first publish would otherwise leave idle.
        Parallel.ForEach(paths, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, path =>
        {
            var info = new FileInfo(path);
            var ticks = info.LastWriteTimeUtc.Ticks;
            if (_entries.TryGetValue(path, out var known) && known.Length == info.Length && known.Ticks == ticks)
            {
                result[path] = known.Hash;
                return;
            }

            var hash = HashFile(path);
            _entries[path] = new Entry(info.Length, ticks, hash);
            result[path] = hash;
            Interlocked.Increment(ref hashed);
        });
        FilesHashed = hashed;
        return result;
    }

    /// <summary>
    /// SHA-256 of one file, read through a pooled buffer below the large-object threshold: this runs
    /// inside MSBuild's process, where a fresh 1 MiB buffer per file (a FileStream's own buffer) lands
    /// on the large-object heap and sets off full collections of the build's whole heap.
    /// </summary>
    private static string HashFile(string path)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the hashes of the files that still exist.</summary>
    public void Save()
    {
        if (_cacheFile is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_cacheFile)!);
        var temp = _cacheFile + ".tmp";
        File.WriteAllLines(temp, _entries
            .Where(e => File.Exists(e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}\t{e.Value.Length}\t{e.Value.Ticks}\t{e.Value.Hash}")));
        File.Move(temp, _cacheFile, overwrite: true);
    }

    private sealed record Entry(long Length, long Ticks, string Hash);
}
