using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Local;

/// <summary>
/// Prints a local run: the runner's messages as <c>local-run: ...</c>, each replica line as <c>workerpool1-2 | ...</c>,
/// diagnostics in MSBuild's canonical format on stderr.
/// </summary>
internal sealed class ConsoleRunOutput(TextWriter output, TextWriter error) : ILocalRunOutput
{
    public void Info(string message)
    {
        foreach (var line in message.Split('\n'))
        {
            output.WriteLine($"local-run: {line.TrimEnd('\r')}");
        }

        output.Flush();
    }

    public void Diagnostic(VertexDiagnostic diagnostic)
    {
        error.WriteLine(diagnostic.ToCanonicalString("local-run"));
        error.Flush();
    }

    public void TaskLine(string task, string line, bool isStandardError)
    {
        output.WriteLine($"{task} | {line}");
        output.Flush();
    }
}
