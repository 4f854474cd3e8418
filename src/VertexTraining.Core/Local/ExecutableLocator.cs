namespace VertexTraining.Core.Local;

/// <summary>Finds programs on a PATH (this process's, unless told otherwise).</summary>
public sealed class ExecutableLocator
{
    private readonly string _path;

    /// <summary>Searches <paramref name="path"/>, or this process's PATH when null.</summary>
    public ExecutableLocator(string? path = null)
    {
        _path = path ?? Environment.GetEnvironmentVariable("PATH") ?? "";
    }

    /// <summary>The full path of <paramref name="name"/>: itself when it contains a directory, else the first match on PATH.</summary>
    public string? Find(string name)
    {
        if (name.Contains('/') || name.Contains(Path.DirectorySeparatorChar))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        }

        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", ".bat", "" } : [""];
        foreach (var directory in _path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(directory, name + extension);
                if (File.Exists(candidate) && IsExecutable(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
