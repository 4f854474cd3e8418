using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// Runs <c>dotnet-vertex</c> for the targets, streaming its output into the build log (its
/// <c>error VTXnnnn:</c> lines become build errors). Unlike Exec, cancelling the build (Ctrl-C)
/// first asks the tool to stop with SIGINT and gives it time to stop every replica and container
/// of a local run, or to print how to re-attach to a cloud job, before anything is killed.
/// </summary>
public sealed partial class RunVertexCli : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(60);
    private readonly object _gate = new();
    private Process? _process;
    private bool _cancelled;

    /// <summary>The dotnet host.</summary>
    [Required]
    public string DotnetHost { get; set; } = "";

    /// <summary>Path of dotnet-vertex.dll.</summary>
    [Required]
    public string CliAssembly { get; set; } = "";

    /// <summary>The tool's arguments, one item each (no secrets: they are logged).</summary>
    [Required]
    public string[] Arguments { get; set; } = [];

    /// <summary>The tool's exit code (see <see cref="ExitCodes"/>).</summary>
    [Output]
    public int ExitCode { get; private set; }

    /// <summary>What <see cref="ExitCode"/> means, in the words of the CLI's help, for the targets' messages.</summary>
    [Output]
    public string ExitCodeMeaning { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        var start = CliRunner.StartInfo(DotnetHost, CliAssembly, Arguments);
        Log.LogMessage(MessageImportance.Normal, $"{DotnetHost} {CliAssembly} {string.Join(' ', Arguments)}");
        lock (_gate)
        {
            if (_cancelled)
            {
                return false;
            }

            _process = CliRunner.TryStart(start, out var failure);
            if (_process is null)
            {
                return Log.LogDiagnostic(CliRunner.CannotStart(DotnetHost, CliAssembly, failure), BuildEngine.ProjectFileOfTaskNode);
            }
        }

        // The tool prints its own diagnostics on stderr only, and a training job's output (local
        // replicas' lines, cloud log entries) on stdout: so only stderr can hold build errors, and
        // a trainer that prints "x.csv : error VTX1001: ..." cannot fail a job that succeeded.
        _process.OutputDataReceived += (_, e) => Forward(e.Data, mayBeDiagnostic: false);
        _process.ErrorDataReceived += (_, e) => Forward(e.Data, mayBeDiagnostic: true);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.WaitForExit();
        ExitCode = _process.ExitCode;
        ExitCodeMeaning = ExitCodes.SummaryOf(ExitCode);
        _process.Dispose();
        return !Log.HasLoggedErrors && !_cancelled;
    }

    /// <inheritdoc />
    public void Cancel()
    {
        Process? process;
        lock (_gate)
        {
            _cancelled = true;
            process = _process;
        }

        if (process is null || process.HasExited)
        {
            return;
        }

        Interrupt(process);
        if (!process.WaitForExit((int)GracePeriod.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
        }
    }

    // Only the tool's own diagnostics count: a line that merely contains "error:" must stay a log line.
    [GeneratedRegex(@"^(?<origin>.*?) : (?<kind>error|warning) (?<code>VTX\d{4}): (?<text>.*)$")]
    private static partial Regex OwnDiagnostic();

    private void Forward(string? line, bool mayBeDiagnostic)
    {
        if (line is null)
        {
            return;
        }

        // stdout carries the whole training output: it is never matched, as it can never be a diagnostic.
        var match = mayBeDiagnostic ? OwnDiagnostic().Match(line) : Match.Empty;
        if (!match.Success)
        {
            Log.LogMessage(MessageImportance.High, "{0}", line);
        }
        else
        {
            var diagnostic = new VertexDiagnostic(match.Groups["code"].Value, "dotnet-vertex", match.Groups["text"].Value, IsWarning: match.Groups["kind"].Value == "warning");
            Log.LogDiagnostic(diagnostic, match.Groups["origin"].Value);
        }
    }

    private static void Interrupt(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // The console's Ctrl-C already reached the tool; it is killed if it does not stop.
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        });
        kill?.WaitForExit(5000);
    }
}
