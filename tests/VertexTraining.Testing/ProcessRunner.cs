using System.Diagnostics;

namespace VertexTraining.Testing;

/// <summary>What a child process did: its exit code and its stdout and stderr, interleaved as they arrived.</summary>
public sealed record ProcessResult(string FileName, IReadOnlyList<string> Arguments, int ExitCode, string Output, TimeSpan Elapsed, bool TimedOut)
{
    public string CommandLine => FileName + " " + string.Join(" ", Arguments.Select(a => a.Contains(' ') ? $"'{a}'" : a));

    /// <summary>The command, how it ended and everything it printed, for a failing assertion.</summary>
    public string Describe() =>
        $"$ {CommandLine}\n{(TimedOut ? "TIMEOUT" : $"exit code {ExitCode}")} after {Elapsed.TotalSeconds:F1} s\n{Output}";
}

/// <summary>Runs a child process to its end (or a timeout), capturing everything it prints.</summary>
public static class ProcessRunner
{
    /// <param name="environment">Variables to set (a null value removes the variable) on top of <paramref name="baseEnvironment"/>.</param>
    /// <param name="baseEnvironment">When set, replaces the inherited environment entirely.</param>
    public static ProcessResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyDictionary<string, string>? baseEnvironment = null)
    {
        var stopwatch = Stopwatch.StartNew();
        using var child = ChildProcess.Start(fileName, arguments, environment, workingDirectory, start =>
        {
            if (baseEnvironment is not null)
            {
                start.Environment.Clear();
                foreach (var (name, value) in baseEnvironment)
                {
                    start.Environment[name] = value;
                }
            }
        });
        var exited = child.WaitForExit(timeout);
        return new ProcessResult(fileName, [.. child.Process.StartInfo.ArgumentList], exited ? child.Process.ExitCode : -1, child.Interleaved, stopwatch.Elapsed, !exited);
    }
}
