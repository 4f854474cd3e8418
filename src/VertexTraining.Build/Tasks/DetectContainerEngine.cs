using System.Diagnostics;
using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// Finds a working podman or docker for local runs. A local job runs each replica as a container
/// when one answers, else as a process of the published app.
/// </summary>
public sealed class DetectContainerEngine : Microsoft.Build.Utilities.Task
{
    /// <summary>podman, docker, or empty when neither works.</summary>
    [Output]
    public string Engine { get; private set; } = "";

    /// <summary>Why the engine was or was not chosen, for the build output.</summary>
    [Output]
    public string Reason { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        var reasons = new List<string>();
        foreach (var candidate in new[] { "podman", "docker" })
        {
            var path = FindOnPath(candidate);
            if (path is null)
            {
                reasons.Add($"{candidate} is not on PATH");
                continue;
            }

            // A docker client without a daemon is common; only an engine that answers counts.
            if (Answers(path))
            {
                Engine = candidate;
                Reason = $"{candidate} found at {path}";
                return true;
            }

            reasons.Add($"{candidate} at {path} did not answer '{candidate} info'");
        }

        Reason = string.Join("; ", reasons);
        return true;
    }

    private static string? FindOnPath(string name)
    {
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd" } : [""];
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var path = Path.Combine(directory, name + extension);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    private static bool Answers(string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
