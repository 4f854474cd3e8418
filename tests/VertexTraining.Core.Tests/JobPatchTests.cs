using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Tests;

/// <summary>VertexJobPatch: applied to the mapped document last, checked again, and what the document then is.</summary>
public sealed class JobPatchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vertex-patch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PatchFile(string json)
    {
        var path = Path.Combine(_folder, $"patch-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static JobInputs Baseline() => JobFixtures.Baseline()
        .Set(VertexProperty.JobDisplayName, "patched")
        .Set(VertexProperty.Timeout, "2h")
        .Set(VertexProperty.SchedulingStrategy, "Standard")
        .Add(VertexItem.Label, "team", ("Value", "ml"));

    [Fact]
    public void A_patch_adds_a_field_removes_one_and_changes_a_nested_one_and_the_document_is_written_so()
    {
        var inputs = Baseline().Set(VertexProperty.JobPatch, PatchFile("""
            {
              "jobSpec": {
                "protectedArtifactLocationId": "us-east1",
                "scheduling": { "timeout": null, "strategy": "SPOT" },
                "workerPoolSpecs": [ { "machineSpec": { "machineType": "n1-standard-8" }, "replicaCount": "1",
                                       "containerSpec": { "imageUri": "us-docker.pkg.dev/p/r/i@sha256:abc" } } ]
              },
              "labels": { "team": null, "cost-center": "research" }
            }
            """));

        var result = JobDocumentBuilder.Build(inputs, JobFixtures.Image);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var written = (JsonObject)JsonNode.Parse(result.Document!.ToJson())!;
        Assert.Equal("patched", (string?)written["displayName"]);
        Assert.Equal("us-east1", (string?)written["jobSpec"]!["protectedArtifactLocationId"]);
        Assert.False(((JsonObject)written["jobSpec"]!["scheduling"]!).ContainsKey("timeout"));
        Assert.Equal("SPOT", (string?)written["jobSpec"]!["scheduling"]!["strategy"]);
        Assert.Equal("n1-standard-8", (string?)written["jobSpec"]!["workerPoolSpecs"]![0]!["machineSpec"]!["machineType"]);
        Assert.Equal(["cost-center"], ((JsonObject)written["labels"]!).Select(l => l.Key));
        Assert.Equal("research", (string?)written["labels"]!["cost-center"]);
        // The typed view, which local runs use, reads the same document.
        Assert.Equal("n1-standard-8", result.Document.Spec.WorkerPoolSpecs![0].MachineSpec!.MachineType);
        Assert.Equal("SPOT", result.Document.Spec.Scheduling!.Strategy);
    }

    [Fact]
    public void An_empty_patch_leaves_the_document_as_mapped()
    {
        var mapped = JobDocumentBuilder.Build(Baseline(), JobFixtures.Image).Document!.ToJson();

        var patched = JobDocumentBuilder.Build(Baseline().Set(VertexProperty.JobPatch, PatchFile("{}")), JobFixtures.Image).Document!.ToJson();

        Assert.Equal(mapped, patched);
    }

    public static TheoryData<string, string, string> InvalidPatches() => new()
    {
        { """{"jobSpec":{"workerPoolSpecs":[{"machineSpec":{"machineType":"a2-highgpu-1g","acceleratorType":"NVIDIA_TESLA_T4","acceleratorCount":1},"replicaCount":"1"}]}}""",
            DiagnosticCodes.AcceleratorNotOnMachineType, "jobSpec.workerPoolSpecs[0].machineSpec.acceleratorType NVIDIA_TESLA_T4 cannot be attached to machine type 'a2-highgpu-1g'" },
        { """{"jobSpec":{"workerPoolSpecs":[{"machineSpec":{"machineType":"g2-standard-8","acceleratorType":"NVIDIA_L4","acceleratorCount":3},"replicaCount":"1"}]}}""",
            DiagnosticCodes.InvalidAcceleratorCount, "jobSpec.workerPoolSpecs[0].machineSpec.acceleratorCount is 3; NVIDIA_L4 on g2-standard-8 takes 1" },
        { """{"jobSpec":{"workerPoolSpecs":[{"machineSpec":{"machineType":"n1-standard-4","acceleratorType":"NVIDIA_TESLA_K9000","acceleratorCount":1},"replicaCount":"1"}]}}""",
            DiagnosticCodes.UnknownAcceleratorType, "jobSpec.workerPoolSpecs[0].machineSpec.acceleratorType is 'NVIDIA_TESLA_K9000'" },
        { """{"jobSpec":{"workerPoolSpecs":[{"machineSpec":{"machineType":"n1-standard-4"},"replicaCount":"2"}]}}""",
            DiagnosticCodes.PrimaryPoolReplicaCount, "jobSpec.workerPoolSpecs[0].replicaCount is 2" },
        { """{"jobSpec":{"workerPoolSpecs":[{"machineSpec":{"machineType":"n1-standard-4"},"diskSpec":{"bootDiskSizeGb":50}}]}}""",
            DiagnosticCodes.InvalidBootDiskSize, "jobSpec.workerPoolSpecs[0].diskSpec.bootDiskSizeGb is 50" },
        { """{"jobSpec":{"workerPoolSpecs":[{"machineSpec":{"machineType":"n1-standard-4"},"diskSpec":{"bootDiskType":"pd-fast"}}]}}""",
            DiagnosticCodes.InvalidBootDiskType, "jobSpec.workerPoolSpecs[0].diskSpec.bootDiskType is 'pd-fast'" },
        { """{"jobSpec":{"workerPoolSpecs":[]}}""", DiagnosticCodes.MissingPrimaryPool, "jobSpec.workerPoolSpecs must be an array of 1 to 4 pools" },
        { """{"jobSpec":{"scheduling":{"strategy":"CHEAP"}}}""", DiagnosticCodes.InvalidSchedulingStrategy, "jobSpec.scheduling.strategy is 'CHEAP'" },
        { """{"jobSpec":{"protectedArtifactLocationId":"us-east1-b"}}""", DiagnosticCodes.InvalidProtectedArtifactLocation, "jobSpec.protectedArtifactLocationId is 'us-east1-b'; expected a Vertex AI region id" },
        { """{"jobSpec":{"workerPoolSpecs":[{"machineSpec":{"machineType":"n1-standard-4"},"nfsMounts":[{"server":"10.0.0.2","path":"/x","mountPoint":"../etc"}]}]}}""",
            DiagnosticCodes.InvalidNfsMount, "jobSpec.workerPoolSpecs[0].nfsMounts[0].mountPoint is '../etc'; a mount point is one name of letters" },
        { """{"jobSpec":{"workerPoolSpecs":[{"machineSpec":{"machineType":"n1-standard-4"},"lustreMounts":[{"instanceIp":"10.0.0.3","volumeHandle":"v","filesystem":"lfs"}]}]}}""",
            DiagnosticCodes.InvalidLustreMount, "jobSpec.workerPoolSpecs[0].lustreMounts[0].mountPoint is ''" },
        { """{"jobSpec":{"scheduling":{"maxWaitDuration":"600s"}}}""", DiagnosticCodes.MaxWaitWithoutFlexStart, "jobSpec.scheduling.maxWaitDuration is set" },
        { """{"displayName":null}""", DiagnosticCodes.InvalidDisplayName, "displayName must be a string of 1 to 128 characters" },
        { """{"jobSpec":null}""", DiagnosticCodes.PatchBreaksDocument, "leaves no CustomJob with a jobSpec object" },
        { """{"studySpec":{"metrics":[]}}""", DiagnosticCodes.PatchBreaksDocument, "leaves no CustomJob with a jobSpec object" },
        { """{"jobSpec":{"workerPoolSpecs":[{"replicaCount":{"n":1}}]}}""", DiagnosticCodes.PatchBreaksDocument, "a value of the wrong JSON type" },
        { """[{"op":"add","path":"/x","value":1}]""", DiagnosticCodes.PatchUnreadable, "is not a JSON object" },
        { """{"jobSpec": """, DiagnosticCodes.PatchUnreadable, "is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidPatches))]
    public void Checks_run_again_on_the_patched_document_and_name_VertexJobPatch_and_the_path(string patch, string code, string message)
    {
        var file = PatchFile(patch);

        var result = JobDocumentBuilder.Build(Baseline().Set(VertexProperty.JobPatch, file), JobFixtures.Image);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((code, VertexProperty.JobPatch), (diagnostic.Code, diagnostic.Subject));
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains(file, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_patch_file_is_VTX1171_naming_the_path()
    {
        var missing = Path.Combine(_folder, "nope.json");

        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(Baseline().Set(VertexProperty.JobPatch, missing)));

        Assert.Equal(DiagnosticCodes.PatchUnreadable, diagnostic.Code);
        Assert.Contains($"VertexJobPatch is '{missing}', which cannot be read", diagnostic.Message, StringComparison.Ordinal);
    }
}
