using System.Diagnostics;

namespace VertexTraining.Testing;

/// <summary>
/// Builds real shared libraries with the system's gcc (build/setup-test-env.sh installs it), so the
/// check reads what a real linker writes, and runs binutils' readelf as an independent reader.
/// </summary>
public static class NativeToolchain
{
    /// <summary>
    /// Compiles <paramref name="source"/> into <paramref name="directory"/>/<paramref name="fileName"/>.
    /// A version script gives its symbols versions (as libstdc++'s GLIBCXX_3.4.32); linking against
    /// another library built here records DT_NEEDED and, for versioned symbols, a verneed entry.
    /// </summary>
    public static string SharedLibrary(string directory, string fileName, string source, string? soname = null, string? versionScript = null, string? linkAgainst = null)
    {
        Directory.CreateDirectory(directory);
        var sourceFile = Path.Combine(directory, fileName + ".c");
        File.WriteAllText(sourceFile, source);
        var output = Path.Combine(directory, fileName);
        var arguments = new List<string> { "-shared", "-fPIC", "-o", output, sourceFile };
        if (soname is not null)
        {
            arguments.Add($"-Wl,-soname,{soname}");
        }

        if (versionScript is not null)
        {
            var script = Path.Combine(directory, fileName + ".map");
            File.WriteAllText(script, versionScript);
            arguments.Add($"-Wl,--version-script={script}");
        }

        if (linkAgainst is not null)
        {
            // -l:FILE links that exact file, so a stand-in named libstdc++.so.6 is used instead of the system's.
            arguments.AddRange(["-L" + Path.GetDirectoryName(linkAgainst), "-l:" + Path.GetFileName(linkAgainst)]);
        }

        Run("gcc", arguments);
        File.Delete(sourceFile);
        return output;
    }

    /// <summary>readelf's view of the dynamic section and the version sections.</summary>
    public static string ReadElf(string path) => Run("readelf", ["--dynamic", "--version-info", "--wide", path]);

    private static string Run(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(" ", start.ArgumentList)} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
