using System.Diagnostics;
using System.Text;

namespace VertexTraining.Layers.Tests.Infrastructure;

/// <summary>What a child process did: exit code, and stdout and stderr interleaved.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public string Describe() => $"$ {CommandLine}\nexit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n{Output}";
}

/// <summary>Runs a child process with a timeout, capturing everything it prints.</summary>
internal static class ProcessRunner
{
    /// <param name="environment">Replaces the inherited environment when not null.</param>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
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

        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (name, value) in environment)
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
        var exitCode = -1;
        if (process.WaitForExit(timeout))
        {
            process.WaitForExit();
            exitCode = process.ExitCode;
        }
        else
        {
            // Only this child and what it started: a hung build must not outlive the test.
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
            lock (output)
            {
                output.Append($"(killed after {timeout.TotalSeconds:F0} s)\n");
            }
        }

        lock (output)
        {
            return new ProcessResult($"{fileName} {string.Join(' ', start.ArgumentList)}", exitCode, output.ToString(), stopwatch.Elapsed);
        }
    }
}
