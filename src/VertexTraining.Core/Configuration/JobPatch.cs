using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// <c>VertexJobPatch</c>: a JSON merge patch file (RFC 7396) applied to the mapped document last, for fields
/// the properties do not name yet. The patched document is what job-request.json holds and what is posted;
/// the checks that can be made on a document are made again on it (<see cref="PatchedDocumentChecks"/>).
/// </summary>
public static class JobPatch
{
    /// <summary>The largest patch file read (1 MiB); a patch is a few lines.</summary>
    public const int MaxPatchBytes = 1024 * 1024;

    /// <summary>The patched document, or null with the reasons in <paramref name="bag"/>.</summary>
    public static JobDocument? Apply(JobDocument document, string patchFile, DiagnosticBag bag)
    {
        var patch = Read(patchFile, bag);
        if (patch is null)
        {
            return null;
        }

        var before = (JsonObject)JsonNode.Parse(document.ToJson())!;
        var patched = (JsonObject)JsonMergePatch.Apply(before, patch)!;
        var kind = JobDocument.KindOf(before);
        var specName = kind == JobKind.HyperparameterTuningJob ? "trialJobSpec" : "jobSpec";
        if (JobDocument.KindOf(patched) != kind || patched[specName] is not JsonObject)
        {
            bag.Error(DiagnosticCodes.PatchBreaksDocument, VertexProperty.JobPatch,
                $"{VertexProperty.JobPatch} ({patchFile}) leaves no {kind} with a {specName} object: a patch may change fields of the job, not remove its spec or turn one kind of job into the other.");
            return null;
        }

        JobDocument typed;
        try
        {
            typed = JobDocument.Parse(patched.ToJsonString());
        }
        catch (JsonException e)
        {
            bag.Error(DiagnosticCodes.PatchBreaksDocument, VertexProperty.JobPatch,
                $"{VertexProperty.JobPatch} ({patchFile}) gives {e.Path ?? "a field"} a value of the wrong JSON type for the v1 API ({e.Message.Split('.')[0]}).");
            return null;
        }

        PatchedDocumentChecks.Run(patched, specName, patchFile, bag);
        return bag.HasErrors ? null : typed.WithJson(patched);
    }

    private static JsonObject? Read(string patchFile, DiagnosticBag bag)
    {
        byte[] bytes;
        try
        {
            var (content, complete) = BoundedBody.ReadFile(patchFile, MaxPatchBytes);
            if (!complete)
            {
                bag.Error(DiagnosticCodes.PatchUnreadable, VertexProperty.JobPatch,
                    $"{VertexProperty.JobPatch} ({patchFile}) is larger than {MaxPatchBytes / 1024} KiB; a merge patch holds only the fields it changes.");
                return null;
            }

            bytes = content;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            bag.Error(DiagnosticCodes.PatchUnreadable, VertexProperty.JobPatch,
                $"{VertexProperty.JobPatch} is '{patchFile}', which cannot be read ({e.Message}); give the path of a JSON merge patch file (RFC 7396), relative to the project.");
            return null;
        }

        try
        {
            if (JsonNode.Parse(bytes) is JsonObject patch)
            {
                return patch;
            }
        }
        catch (JsonException e)
        {
            bag.Error(DiagnosticCodes.PatchUnreadable, VertexProperty.JobPatch,
                $"{VertexProperty.JobPatch} ({patchFile}) is not valid JSON: {e.Message}");
            return null;
        }

        bag.Error(DiagnosticCodes.PatchUnreadable, VertexProperty.JobPatch,
            $"{VertexProperty.JobPatch} ({patchFile}) is not a JSON object; a merge patch of a job is an object whose members change the job's (null removes one).");
        return null;
    }
}
