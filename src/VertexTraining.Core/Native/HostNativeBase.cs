namespace VertexTraining.Core.Native;

/// <summary>
/// This machine, for a local run in process mode: the libraries are found where the dynamic loader
/// looks (LD_LIBRARY_PATH, the directories of /etc/ld.so.conf, the default ones), and their symbol
/// versions are read from the files themselves (their SHT_GNU_verdef sections).
/// </summary>
public sealed class HostNativeBase : INativeBase
{
    private static readonly string[] DefaultDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"];

    private readonly IReadOnlyList<string> _directories;
    private readonly Dictionary<string, ElfLibrary?> _read = new(StringComparer.Ordinal);

    /// <summary>Looks in <paramref name="directories"/>, or where the loader looks on this machine.</summary>
    public HostNativeBase(IReadOnlyList<string>? directories = null)
    {
        _directories = directories ?? LoaderDirectories();
    }

    /// <inheritdoc />
    public string Name => "this machine (local process run)";

    /// <inheritdoc />
    public Answer Soname(string soname)
    {
        if (Find(soname) is not null)
        {
            return Answer.Present;
        }

        // Only the libraries the image facts know are judged: others may be optional plug-ins that
        // their users load only when present (the .NET runtime's LTTng tracing provider needs
        // liblttng-ust.so.0, which few machines have and none needs).
        if (CudaImageFacts.Identify(soname) is null && !CudaImageFacts.AlwaysPresent.Contains(soname))
        {
            return Answer.NotChecked;
        }

        return new(Availability.Missing, $"this machine has no {soname} in {string.Join(":", _directories)}",
            "VertexLocalMode=container (the image's base carries the CUDA libraries), or install it on this machine", "VertexLocalMode");
    }

    /// <inheritdoc />
    public Answer Version(VersionNeed need)
    {
        if (Find(need.File) is not { } path || Read(path) is not { } library)
        {
            return Answer.NotChecked;
        }

        if (library.VersionDefinitions.Contains(need.Version, StringComparer.Ordinal))
        {
            return Answer.Present;
        }

        var newest = library.VersionDefinitions
            .Where(v => SymbolVersion.Compare(v, need.Version) is not null)
            .Aggregate((string?)null, (best, v) => best is null || SymbolVersion.Compare(v, best) > 0 ? v : best);
        return new(Availability.Missing, $"this machine's {path} has up to {newest ?? "none of that family"}",
            "VertexLocalMode=container, with a base that has it (see the VertexUbuntuVersion fix for the image), or install a newer one on this machine", "VertexLocalMode");
    }

    /// <inheritdoc />
    public string? LighterFlavor(IReadOnlyCollection<string> stillNeeded) => null;

    private string? Find(string soname) =>
        _directories.Select(d => Path.Combine(d, soname)).FirstOrDefault(File.Exists);

    private ElfLibrary? Read(string path)
    {
        if (!_read.TryGetValue(path, out var library))
        {
            library = _read[path] = ElfReader.Read(path).Library;
        }

        return library;
    }

    /// <summary>ld.so(8): LD_LIBRARY_PATH first, then the directories ldconfig caches (from /etc/ld.so.conf and what it includes), then the defaults.</summary>
    private static List<string> LoaderDirectories()
    {
        var directories = new List<string>();
        directories.AddRange((Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        directories.AddRange(ConfiguredDirectories("/etc/ld.so.conf", depth: 0));
        directories.AddRange(DefaultDirectories);
        return [.. directories.Distinct(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> ConfiguredDirectories(string file, int depth)
    {
        if (depth > 2 || !File.Exists(file))
        {
            yield break;
        }

        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.StartsWith("include ", StringComparison.Ordinal))
            {
                var pattern = line["include ".Length..].Trim();
                var folder = Path.GetDirectoryName(pattern) ?? "/";
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (var included in Directory.EnumerateFiles(folder, Path.GetFileName(pattern)).Order(StringComparer.Ordinal))
                {
                    foreach (var directory in ConfiguredDirectories(included, depth + 1))
                    {
                        yield return directory;
                    }
                }
            }
            else if (line.StartsWith('/'))
            {
                yield return line;
            }
        }
    }
}
