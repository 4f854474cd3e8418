using System.IO.Compression;
using System.Text;

namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>Looks into a binary log for text that must never be recorded (secrets).</summary>
internal static class Binlog
{
    /// <summary>True when the UTF-8 or UTF-16 bytes of <paramref name="text"/> occur anywhere in the decompressed log.</summary>
    public static bool Contains(string path, string text)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0
            || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;
    }
}
