using System.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>Runs a short helper command (podman info, podman load, dotnet msbuild -getProperty) and collects its output.</summary>
public static class ToolCommand
{
    /// <summary>The outcome of a helper command.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
    {
        public bool Succeeded => ExitCode == 0 && !TimedOut;

        /// <summary>The last non-empty line of stderr (else stdout), for messages.</summary>
        public string Summary =>
            (StandardError.Split('\n').LastOrDefault(l => l.Trim().Length > 0)
             ?? StandardOutput.Split('\n').LastOrDefault(l => l.Trim().Length > 0)
             ?? $"exit code {ExitCode}").Trim();
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; kills it (and its children) after <paramref name="timeout"/>.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The file could not be started.</exception>
    public static async Task<Result> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{file} did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return new Result(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), timedOut);
    }
}
