using System.Text.Json.Serialization;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// <c>obj/.../vertex/submission.json</c>: what was submitted and where to find it. The MSBuild targets
/// read it to set <c>VertexJobName</c> and <c>VertexJobConsoleUrl</c>; scripts read it too.
/// </summary>
public sealed class SubmissionRecord
{
    /// <summary>The job's resource name.</summary>
    public string Name { get; set; } = "";

    public string? DisplayName { get; set; }

    public string ConsoleUrl { get; set; } = "";

    /// <summary>The last state seen (the final one after waiting).</summary>
    public string State { get; set; } = "";

    /// <summary>The image the primary pool runs, pinned by digest.</summary>
    public string? ImageUri { get; set; }

    /// <summary>The image's manifest digest (<c>sha256:...</c>), taken from <see cref="ImageUri"/>.</summary>
    public string? ImageDigest { get; set; }

    /// <summary>The value of the <c>vertex-training-submission-id</c> label.</summary>
    public string SubmissionId { get; set; } = "";

    public string? CreateTime { get; set; }

    /// <summary>CustomJob or HyperparameterTuningJob.</summary>
    public string Kind { get; set; } = "";

    public string? Project { get; set; }

    public string? Region { get; set; }

    /// <summary>True when the create call failed ambiguously and the job was found by its label.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Adopted { get; set; }

    /// <summary>The record of a submitted job.</summary>
    public static SubmissionRecord For(VertexJob job, string submissionId, string? imageUri, string? projectId, string region, bool adopted) => new()
    {
        Name = job.Name.ToString(),
        DisplayName = job.DisplayName,
        ConsoleUrl = ConsoleUrls.ForJob(job.Name, projectId),
        State = job.State,
        ImageUri = imageUri,
        ImageDigest = imageUri is not null && imageUri.IndexOf("@sha256:", StringComparison.Ordinal) is var at and >= 0 ? imageUri[(at + 1)..] : null,
        SubmissionId = submissionId,
        CreateTime = job.Resource["createTime"]?.ToString(),
        Kind = job.Kind.ToString(),
        Project = projectId,
        Region = region,
        Adopted = adopted,
    };

    /// <summary>Writes the record so a reader never sees half a file: a temporary file, then a rename.</summary>
    public void WriteAtomically(string path) => Local.AtomicFile.Write(path, VertexJson.Serialize(this) + Environment.NewLine);
}
