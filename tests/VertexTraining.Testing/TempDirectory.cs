namespace VertexTraining.Testing;

/// <summary>A folder of its own for one test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">Names the folder after what it holds, for someone reading /tmp after a failed run.</param>
    public TempDirectory(string prefix = "t")
    {
        // Short on purpose: Unix socket paths under it must stay within 108 bytes.
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vertex-tests", $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> under this folder, creating its parent folders.</summary>
    public string Write(string name, string content)
    {
        var path = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftovers in the temp folder do no harm; a failing cleanup must not fail the test.
        }
    }
}
