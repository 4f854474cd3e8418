using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Local;

/// <summary>
/// Prints a local run in the tool's one style: its own messages as <c>VertexTraining: ...</c>, like every other
/// command; each replica line as <c>[workerpool1-2] ...</c>, like <c>dotnet vertex logs</c> and <c>wait</c> print a
/// task's lines; diagnostics in MSBuild's canonical format on stderr.
/// </summary>
internal sealed class ConsoleRunOutput(TextWriter output, TextWriter error) : ILocalRunOutput
{
    public void Info(string message)
    {
        foreach (var line in message.Split('\n'))
        {
            output.WriteLine($"VertexTraining: {line.TrimEnd('\r')}");
        }

        output.Flush();
    }

    public void Diagnostic(VertexDiagnostic diagnostic)
    {
        error.WriteLine(diagnostic.ToCanonicalString());
        error.Flush();
    }

    public void TaskLine(string task, string line, bool isStandardError)
    {
        output.WriteLine($"[{task}] {line}");
        output.Flush();
    }
}
