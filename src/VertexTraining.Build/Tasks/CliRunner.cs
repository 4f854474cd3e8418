using System.Diagnostics;

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
        using var process = Process.Start(StartInfo(dotnetHost, cliAssembly, arguments)) ?? throw new InvalidOperationException($"Could not start {dotnetHost}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, "", $"timed out after {timeout.TotalSeconds:0} s");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

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
