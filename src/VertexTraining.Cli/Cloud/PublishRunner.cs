using System.Diagnostics;
using System.Text.RegularExpressions;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Cloud;

/// <summary>
/// Runs <c>dotnet publish PROJECT -t:SubmitTraining -p:...</c> as a child process, streams its output, and
/// maps its result onto our exit codes by the VTX codes it reported (MSBuild itself only says 0 or 1).
/// </summary>
internal static partial class PublishRunner
{
    [GeneratedRegex(@"\berror (?<code>VTX\d{4})\b")]
    private static partial Regex ErrorCode();

    /// <summary>The arguments after <c>dotnet</c>.</summary>
    public static List<string> Arguments(string? project, IEnumerable<string> properties)
    {
        var arguments = new List<string> { "publish" };
        if (!string.IsNullOrWhiteSpace(project))
        {
            arguments.Add(project);
        }

        arguments.Add("-t:SubmitTraining");
        arguments.AddRange(properties.Select(p => "-p:" + p));
        return arguments;
    }

    /// <summary>Maps the build's exit code and reported VTX codes to ours.</summary>
    public static int ExitCodeFor(int buildExitCode, IReadOnlyCollection<string> errorCodes)
    {
        if (buildExitCode == 0)
        {
            return ExitCodes.Success;
        }

        // The job's outcome wins over the errors that merely report it; then the first error's range.
        foreach (var outcome in new[]
        {
            DiagnosticCodes.JobEndedCancelled, DiagnosticCodes.LocalJobCancelled,
            DiagnosticCodes.JobEndedFailed, DiagnosticCodes.JobEndedOtherwise,
            DiagnosticCodes.ReplicaFailed, DiagnosticCodes.TooManyFailedTrials, DiagnosticCodes.NoTrialReportedMetric,
        })
        {
            if (errorCodes.Contains(outcome))
            {
                return ExitCodes.ForDiagnostic(outcome);
            }
        }

        return errorCodes.Count > 0 ? ExitCodes.ForDiagnostic(errorCodes.First()) : ExitCodes.ApiError;
    }

    public static async Task<int> RunAsync(CliContext context, string? project, IReadOnlyList<string> properties, bool json, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost.Path(context))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = context.WorkingDirectory,
        };
        foreach (var argument in Arguments(project, properties))
        {
            start.ArgumentList.Add(argument);
        }

        // With --json, stdout is reserved for the submission record.
        var output = json ? context.Err : context.Out;
        var codes = new List<string>();
        var gate = new object();
        void Forward(string? line, TextWriter writer)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                writer.WriteLine(line);
                foreach (Match match in ErrorCode().Matches(line))
                {
                    if (!codes.Contains(match.Groups["code"].Value))
                    {
                        codes.Add(match.Groups["code"].Value);
                    }
                }
            }
        }

        var startedAt = DateTime.UtcNow;
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Forward(e.Data, output);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, context.Err);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            context.Err.WriteLine(new VertexDiagnostic(DiagnosticCodes.SubmitBuildFailed, "dotnet", $"Could not start '{start.FileName}': {e.Message}").ToCanonicalString());
            return ExitCodes.ApiError;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C reached the build too (same console); give it a moment to say where the job stands.
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
            }

            return ExitCodes.Interrupted;
        }

        process.WaitForExit();
        var exitCode = ExitCodeFor(process.ExitCode, codes);
        if (json && exitCode == ExitCodes.Success && FindSubmission(context, project, startedAt) is { } submission)
        {
            context.Out.WriteLine(File.ReadAllText(submission).TrimEnd());
        }

        return exitCode;
    }

    // The targets write obj/<configuration>/<tfm>/vertex/submission.json; the newest written by this run is ours.
    private static string? FindSubmission(CliContext context, string? project, DateTime startedAt)
    {
        var path = Path.GetFullPath(project ?? ".", context.WorkingDirectory);
        var directory = Directory.Exists(path) ? path : Path.GetDirectoryName(path);
        var obj = directory is null ? null : Path.Combine(directory, "obj");
        if (obj is null || !Directory.Exists(obj))
        {
            return null;
        }

        return Directory.EnumerateFiles(obj, "submission.json", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f))
            .Where(f => f.LastWriteTimeUtc >= startedAt.AddSeconds(-1))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .Select(f => f.FullName)
            .FirstOrDefault();
    }
}
