using System.Diagnostics;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks;

/// <summary>Runs the bundled <c>dotnet-vertex</c> CLI as a child process and captures its output.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>
    /// Runs <paramref name="dotnetHost"/> <paramref name="cliAssembly"/> <paramref name="arguments"/>.
    /// Output is returned, never logged here: it may be a secret.
    /// </summary>
    public static Result Run(string dotnetHost, string cliAssembly, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = TryStart(StartInfo(dotnetHost, cliAssembly, arguments), out var failure);
        if (process is null)
        {
            return new Result(-1, "", CannotStart(dotnetHost, cliAssembly, failure).Message);
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, "", $"timed out after {timeout.TotalSeconds:0} s");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts <paramref name="start"/>; null, with the reason, when the host cannot be run (not found, not executable).</summary>
    public static Process? TryStart(ProcessStartInfo start, out string failure)
    {
        failure = "";
        try
        {
            var process = Process.Start(start);
            failure = process is null ? "no process was started" : "";
            return process;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            failure = e.Message;
            return null;
        }
    }

    /// <summary>Why the CLI could not be started, naming the properties that choose it.</summary>
    public static VertexDiagnostic CannotStart(string dotnetHost, string cliAssembly, string failure) =>
        new(DiagnosticCodes.CliNotStartable, "VertexCliAssembly",
            $"Could not start '{dotnetHost} {cliAssembly}': {failure}. The dotnet running this build (DOTNET_HOST_PATH, else 'dotnet' on PATH) runs the "
            + "package's bundled CLI; VertexCliAssembly, when set, must name a dotnet-vertex.dll that exists.");

    /// <summary><paramref name="dotnetHost"/> <paramref name="cliAssembly"/> <paramref name="arguments"/>, output redirected, no shell.</summary>
    public static ProcessStartInfo StartInfo(string dotnetHost, string cliAssembly, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(dotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The CLI stops what it started when this process (the build) is gone, even after a SIGKILL.
        start.Environment[Core.Local.ParentProcessWatch.Variable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.ArgumentList.Add(cliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
