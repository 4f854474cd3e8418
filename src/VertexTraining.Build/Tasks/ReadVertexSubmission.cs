using System.Text.Json;
using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks;

/// <summary>Reads submission.json written by <c>dotnet-vertex submit</c> into MSBuild outputs.</summary>
public sealed class ReadVertexSubmission : Microsoft.Build.Utilities.Task
{
    /// <summary>Path of submission.json.</summary>
    [Required]
    public string SubmissionFile { get; set; } = "";

    /// <summary>The job's resource name, e.g. projects/123/locations/us-central1/customJobs/456.</summary>
    [Output]
    public string? JobName { get; private set; }

    /// <summary>The job's page in the Google Cloud console.</summary>
    [Output]
    public string? ConsoleUrl { get; private set; }

    /// <summary>The last known state, e.g. JOB_STATE_PENDING.</summary>
    [Output]
    public string? State { get; private set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!File.Exists(SubmissionFile))
        {
            Log.LogMessage(MessageImportance.Low, $"No submission file at {SubmissionFile}.");
            return true;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(SubmissionFile));
        JobName = Read(document.RootElement, "name");
        ConsoleUrl = Read(document.RootElement, "consoleUrl");
        State = Read(document.RootElement, "state");
        return true;
    }

    private static string? Read(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
