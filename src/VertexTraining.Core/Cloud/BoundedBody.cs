using System.Text;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// Reads HTTP bodies with a ceiling, so a broken or hostile endpoint cannot make us hold (or print)
/// hundreds of megabytes: only what fits is read, and the caller learns whether that was all of it.
/// </summary>
public static class BoundedBody
{
    /// <summary>Reads at most <paramref name="limit"/> bytes of <paramref name="content"/> as UTF-8.</summary>
    /// <returns>The text read, and whether it is the whole body.</returns>
    public static async Task<(string Text, bool Complete)> ReadAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > limit)
        {
            // Said too large up front: read the start only, for an error's snippet.
            return (await ReadPrefixAsync(content, Math.Min(limit, 4096), cancellationToken).ConfigureAwait(false), false);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), true);
            }

            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)limit), false);
            }
        }
    }

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes of a file, whatever length it claims (devices and pipes
    /// claim 0): <c>/dev/zero</c> ends at the bound instead of filling memory.
    /// </summary>
    /// <returns>The bytes read, and whether they are the whole file.</returns>
    public static (byte[] Bytes, bool Complete) ReadFile(string path, long limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        using var content = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (content.Length <= limit && (read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            content.Write(chunk, 0, read);
        }

        return content.Length > limit ? (content.GetBuffer()[..(int)limit], false) : (content.ToArray(), true);
    }

    /// <summary>At most <paramref name="maxChars"/> characters of <paramref name="text"/> on one line, marked when cut.</summary>
    public static string Snippet(string text, int maxChars)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length > maxChars ? flat[..maxChars] + "..." : flat;
    }

    private static async Task<string> ReadPrefixAsync(HttpContent content, long count, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var prefix = new byte[count];
        var total = 0;
        while (total < prefix.Length)
        {
            var read = await stream.ReadAsync(prefix.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return Encoding.UTF8.GetString(prefix, 0, total);
    }
}
