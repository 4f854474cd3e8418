using System.Text;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Cloud;

/// <summary>
/// Reads a local job's task log files (<c>logs/&lt;task&gt;.log</c> in its run folder) incrementally, as
/// <see cref="LogLine"/>s so they print exactly like cloud log lines: each call returns only the complete lines
/// not returned before. Files appear as tasks start, so every call looks for new ones.
/// </summary>
internal sealed class LocalLogTail(LocalJobRecord record, string? task)
{
    private readonly Dictionary<string, (long Offset, byte[] Partial)> _files = new(StringComparer.Ordinal);

    /// <summary>The new complete lines, task by task in task order; <paramref name="final"/> also returns a last line without a newline.</summary>
    public IReadOnlyList<LogLine> ReadNew(bool final = false)
    {
        var lines = new List<LogLine>();
        foreach (var log in record.Logs(task))
        {
            var (offset, partial) = _files.GetValueOrDefault(log.Path, (0L, []));
            byte[] bytes;
            DateTimeOffset written;
            try
            {
                // The runner appends while we read: share everything, read only what is there now.
                using var stream = new FileStream(log.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var length = stream.Length;
                if (length <= offset && !(final && partial.Length > 0))
                {
                    continue;
                }

                stream.Seek(offset, SeekOrigin.Begin);
                var buffer = new byte[Math.Max(0, length - offset)];
                stream.ReadExactly(buffer);
                offset += buffer.Length;
                bytes = [.. partial, .. buffer];
                written = File.GetLastWriteTimeUtc(log.Path);
            }
            catch (IOException)
            {
                // Removed meanwhile (the run folder was deleted): nothing more to read from it.
                continue;
            }

            // Only whole lines; the rest waits for its newline. A newline byte never occurs inside a UTF-8
            // sequence, so cutting after one never splits a character.
            var cut = final ? bytes.Length : Array.LastIndexOf(bytes, (byte)'\n') + 1;
            _files[log.Path] = (offset, bytes[cut..]);
            var text = Encoding.UTF8.GetString(bytes, 0, cut);
            var parts = text.Split('\n');
            // Split leaves one empty entry after a last newline (or for no text at all).
            var count = text.Length == 0 || text.EndsWith('\n') ? parts.Length - 1 : parts.Length;
            for (var i = 0; i < count; i++)
            {
                lines.Add(new LogLine(written, log.Task, "DEFAULT", parts[i].TrimEnd('\r')));
            }
        }

        return lines;
    }
}
