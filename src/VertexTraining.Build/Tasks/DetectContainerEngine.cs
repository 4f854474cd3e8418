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

    /// <summary>
    /// Whether the engine pulls images from this machine's own network: true for podman on this
    /// machine and a rootful docker daemon here; false for podman machine, Docker Desktop and rootless
    /// docker, which pull from inside a VM or another network namespace where 127.0.0.1 is not this
    /// machine, so they cannot reach the build's loopback registry.
    /// </summary>
    [Output]
    public bool ReachesLoopback { get; private set; }

    /// <summary>Why <see cref="ReachesLoopback"/> is false; empty when it is true.</summary>
    [Output]
    public string LoopbackReason { get; private set; } = "";

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
            if (Info(path) is { } info)
            {
                Engine = candidate;
                Reason = $"{candidate} found at {path}";
                LoopbackReason = LoopbackUnreachableReason(candidate, info) ?? "";
                ReachesLoopback = LoopbackReason.Length == 0;
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

    /// <summary>Why an engine, judged by its <c>info</c> output, pulls from a network where 127.0.0.1 is not this machine; null when it does not.</summary>
    public static string? LoopbackUnreachableReason(string engine, string info)
    {
        var lines = info.Split('\n').Select(l => l.Trim().ToLowerInvariant()).ToList();
        if (engine == "podman")
        {
            return lines.Any(l => l.Replace(" ", "", StringComparison.Ordinal) == "serviceisremote:true") ? "podman talks to a remote service (podman machine)" : null;
        }

        if (lines.Any(l => l.StartsWith("operating system:", StringComparison.Ordinal) && l.Contains("docker desktop", StringComparison.Ordinal)))
        {
            return "Docker Desktop runs its daemon in a VM";
        }

        // `docker info` lists "rootless" among its Security Options for a rootless daemon.
        return lines.Any(l => l is "rootless" or "name=rootless") ? "a rootless docker daemon pulls from its own network namespace" : null;
    }

    /// <summary>The engine's <c>info</c> output, or null when it did not answer.</summary>
    private static string? Info(string path)
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
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return process.ExitCode == 0 ? output.GetAwaiter().GetResult() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
