using System.Diagnostics;
using System.Text;

namespace VertexTraining.Local.Tests;

/// <summary>Runs child processes (dotnet publish, podman, the tool under test) and collects their output.</summary>
internal static class Commands
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    /// <summary>
    /// The environment for child processes: this one without the variables the test host and MSBuild set for
    /// themselves, which would leak into a nested build or tool.
    /// </summary>
    public static void CleanEnvironment(ProcessStartInfo startInfo)
    {
        foreach (var name in startInfo.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
                || name is "CLUSTER_SPEC" or "TF_CONFIG")
            {
                startInfo.Environment.Remove(name);
            }
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var child = ChildProcess.Start(file, arguments, environment, workingDirectory, CleanEnvironment);
        if (!await child.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"{file} {string.Join(" ", arguments)} did not finish within {timeout}.\n{Snapshot(child.StandardOutput)}\n{Snapshot(child.StandardError)}");
        }

        return new Result(child.Process.ExitCode, Snapshot(child.StandardOutput), Snapshot(child.StandardError));
    }

    /// <summary>Starts a process whose output is collected into <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static Process Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment,
        string? workingDirectory, out StringBuilder output, out StringBuilder error)
    {
        var child = ChildProcess.Start(file, arguments, environment, workingDirectory, CleanEnvironment);
        output = child.StandardOutput;
        error = child.StandardError;
        return child.Process;
    }

    /// <summary>Reads a collected buffer safely while the process still writes to it.</summary>
    public static string Snapshot(StringBuilder buffer) => ChildProcess.Snapshot(buffer);
}
