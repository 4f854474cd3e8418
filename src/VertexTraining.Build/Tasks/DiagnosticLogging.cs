using Microsoft.Build.Utilities;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks;

/// <summary>Logs Core's diagnostics as MSBuild errors and warnings carrying their VTX codes.</summary>
internal static class DiagnosticLogging
{
    /// <summary>Where a task's diagnostics point: the user's project when the targets passed it, else the project running the task.</summary>
    public static string DiagnosticFile(this Microsoft.Build.Framework.IBuildEngine engine, string? projectFile) =>
        string.IsNullOrEmpty(projectFile) ? engine.ProjectFileOfTaskNode : projectFile;

    /// <summary>Logs each diagnostic against <paramref name="file"/>; returns true when none is an error.</summary>
    public static bool LogDiagnostics(this TaskLoggingHelper log, IEnumerable<VertexDiagnostic> diagnostics, string file)
    {
        var ok = true;
        foreach (var d in diagnostics)
        {
            if (d.IsWarning)
            {
                log.LogWarning(null, d.Code, null, file, 0, 0, 0, 0, d.Message);
            }
            else
            {
                log.LogError(null, d.Code, null, file, 0, 0, 0, 0, d.Message);
                ok = false;
            }
        }

        return ok;
    }
}
