using Microsoft.Build.Framework;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// Holds <see cref="ProjectRunLock"/> for the rest of the build (MSBuild disposes it when the build
/// ends), so a second SubmitTraining of the same project is refused before it publishes anything.
/// </summary>
public sealed class LockVertexProject : Microsoft.Build.Utilities.Task
{
    /// <summary>$(VertexOutputDirectory).</summary>
    [Required]
    public string Folder { get; set; } = "";

    /// <summary>The user's project file, where the error points.</summary>
    public string? ProjectFile { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var key = "VertexTraining.ProjectRunLock:" + Path.GetFullPath(Folder);
        if (BuildEngine4.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is not null)
        {
            return true; // Already held by this build (SubmitTraining called twice in one build).
        }

        var held = ProjectRunLock.TryAcquire(Folder, out var holder);
        if (held is null)
        {
            return Log.LogVertexError(DiagnosticCodes.ProjectRunInProgress, "SubmitTraining", BuildEngine.DiagnosticFile(ProjectFile),
                $"Another SubmitTraining of this project is running ({holder}); two at once in one project folder overwrite each other's publish output. Wait for it to end, or run the second from a copy of the project.");
        }

        BuildEngine4.RegisterTaskObject(key, held, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
        return true;
    }
}
