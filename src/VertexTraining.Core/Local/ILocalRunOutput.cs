using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// Where a local run reports progress: the runner's own messages, coded diagnostics, and each replica's output
/// lines. Calls come from several threads; the runner serialises them, so implementations need no locking.
/// </summary>
public interface ILocalRunOutput
{
    /// <summary>A message of the runner (mode chosen, trial started, summary).</summary>
    void Info(string message);

    /// <summary>A coded warning or error.</summary>
    void Diagnostic(VertexDiagnostic diagnostic);

    /// <summary>One line a replica wrote; <paramref name="task"/> is its task name (<c>workerpool1-2</c>, <c>trial-3-workerpool0-0</c>).</summary>
    void TaskLine(string task, string line, bool isStandardError);
}
