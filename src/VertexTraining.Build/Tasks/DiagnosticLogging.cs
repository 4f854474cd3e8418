using Microsoft.Build.Utilities;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// The one way the tasks report a problem: Core's coded diagnostics, logged as MSBuild errors and
/// warnings carrying their VTX codes (a test keeps every other LogError/LogWarning out of the tasks).
/// </summary>
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
            ok &= log.LogDiagnostic(d, file);
        }

        return ok;
    }

    /// <summary>Logs one diagnostic against <paramref name="file"/>; returns true when it is a warning, false for an error.</summary>
    public static bool LogDiagnostic(this TaskLoggingHelper log, VertexDiagnostic diagnostic, string file)
    {
        // The message is passed as an argument, never as the format: it may hold braces (paths, JSON).
        if (diagnostic.IsWarning)
        {
            log.LogWarning(null, diagnostic.Code, null, file, 0, 0, 0, 0, "{0}", diagnostic.Message);
            return true;
        }

        log.LogError(null, diagnostic.Code, null, file, 0, 0, 0, 0, "{0}", diagnostic.Message);
        return false;
    }

    /// <summary>Logs an error with <paramref name="code"/> about <paramref name="subject"/> against <paramref name="file"/>; returns false, for <c>return log.LogVertexError(...)</c>.</summary>
    public static bool LogVertexError(this TaskLoggingHelper log, string code, string subject, string file, string message) =>
        log.LogDiagnostic(new VertexDiagnostic(code, subject, message), file);
}
