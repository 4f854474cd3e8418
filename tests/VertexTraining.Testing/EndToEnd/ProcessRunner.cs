using System.Diagnostics;
using System.Text;

namespace VertexTraining.Testing;

/// <summary>What a child process did: its exit code and its stdout and stderr, interleaved as they arrived.</summary>
public sealed record ProcessResult(string FileName, IReadOnlyList<string> Arguments, int ExitCode, string Output, TimeSpan Elapsed, bool TimedOut)
{
    public string CommandLine => FileName + " " + string.Join(" ", Arguments.Select(a => a.Contains(' ') ? $"'{a}'" : a));

    /// <summary>The command, how it ended and everything it printed, for a failing assertion.</summary>
    public string Describe() =>
        $"$ {CommandLine}\n{(TimedOut ? "TIMEOUT" : $"exit code {ExitCode}")} after {Elapsed.TotalSeconds:F1} s\n{Output}";
}

/// <summary>Runs a child process with a timeout, capturing everything it prints.</summary>
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
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (baseEnvironment is not null)
        {
            start.Environment.Clear();
            foreach (var (name, value) in baseEnvironment)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Append(e.Data).Append('\n');
                }
            }
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            // Only this child and what it started: a hung build must not outlive the test.
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        else
        {
            // The parameterless overload waits for the output pipes to drain.
            process.WaitForExit();
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        return new ProcessResult(fileName, [.. start.ArgumentList], timedOut ? -1 : process.ExitCode, text, stopwatch.Elapsed, timedOut);
    }
}
