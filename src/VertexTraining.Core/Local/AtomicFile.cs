using System.Text;

namespace VertexTraining.Core.Local;

/// <summary>Replaces a file in one step, so a reader (status from another terminal) never sees half of it.</summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, content, Utf8NoBom);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            // A failed write (disk full) leaves no stray temporary file behind.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
