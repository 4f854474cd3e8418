using System.Text;
using System.Text.RegularExpressions;

namespace VertexTraining.Testing;

/// <summary>An error or warning in MSBuild's canonical format: <c>origin : error CODE: text</c>.</summary>
public sealed record BuildDiagnostic(bool IsError, string Code, string Message, string Line);

/// <summary>One `dotnet` invocation: its output, its parsed diagnostics and where its binlog is.</summary>
public sealed partial class BuildResult(ProcessResult process, string binlogPath)
{
    private const int OutputLinesInFailures = 60;

    public ProcessResult Process { get; } = process;

    public int ExitCode => Process.ExitCode;

    public bool Succeeded => ExitCode == 0 && !Process.TimedOut;

    public string Output => Process.Output;

    public string BinlogPath { get; } = binlogPath;

    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Errors and warnings, each once (the console logger may repeat them in its summary).</summary>
    public IReadOnlyList<BuildDiagnostic> Diagnostics =>
        [.. Lines.Select(Parse).OfType<BuildDiagnostic>().DistinctBy(d => (d.IsError, d.Code, d.Message))];

    public IReadOnlyList<BuildDiagnostic> Errors => [.. Diagnostics.Where(d => d.IsError)];

    public IReadOnlyList<BuildDiagnostic> Warnings => [.. Diagnostics.Where(d => !d.IsError)];

    /// <summary>The lines our targets print with <c>VertexTraining:</c>.</summary>
    public IReadOnlyList<string> VertexLines => [.. Lines.Select(l => l.Trim()).Where(l => l.StartsWith("VertexTraining:", StringComparison.Ordinal))];

    /// <summary>Everything a failing assertion needs: command, exit code, binlog, diagnostics and the output's tail.</summary>
    public string Describe()
    {
        var text = new StringBuilder()
            .AppendLine($"`{Process.CommandLine}` in {Process.Elapsed.TotalSeconds:F1}s exited with {(Process.TimedOut ? "TIMEOUT" : ExitCode.ToString())}")
            .AppendLine($"binlog: {BinlogPath}");
        foreach (var diagnostic in Diagnostics)
        {
            text.AppendLine($"  {(diagnostic.IsError ? "error" : "warning")} {diagnostic.Code}: {diagnostic.Message}");
        }

        var lines = Lines;
        text.AppendLine($"--- last {Math.Min(lines.Count, OutputLinesInFailures)} of {lines.Count} output lines ---");
        foreach (var line in lines.TakeLast(OutputLinesInFailures))
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    /// <summary>Fails the test, with <see cref="Describe"/>, unless the command succeeded.</summary>
    public BuildResult AssertSuccess()
    {
        Assert.True(Succeeded, "The build failed.\n" + Describe());
        return this;
    }

    public override string ToString() => Describe();

    private static BuildDiagnostic? Parse(string line)
    {
        var match = CanonicalDiagnostic().Match(line);
        return match.Success
            ? new BuildDiagnostic(match.Groups["kind"].Value == "error", match.Groups["code"].Value, match.Groups["message"].Value.Trim(), line)
            : null;
    }

    // MSBuild canonical errors: "origin: [subcategory] error|warning CODE: text [project]"; origin may be empty.
    [GeneratedRegex(@"(^|:\s*|\s)(?<kind>error|warning)\s+(?<code>[A-Za-z]+[0-9]+)\s*:\s*(?<message>.*?)(\s+\[[^\]]+\])?\s*$")]
    private static partial Regex CanonicalDiagnostic();
}
