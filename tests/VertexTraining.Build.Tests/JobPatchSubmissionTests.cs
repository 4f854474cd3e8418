using System.Text.Json.Nodes;
using VertexTraining.Build.Tests.Infrastructure;
using VertexTraining.Testing.Fakes;

namespace VertexTraining.Build.Tests;

/// <summary>VertexJobPatch through the whole publish: the patched document is written, and it is what the fake Vertex AI receives.</summary>
public sealed class JobPatchSubmissionTests : IAsyncLifetime
{
    private CloudSubmissionSetup _setup = null!;

    [RegistryFact]
    public void The_patched_document_is_written_to_job_request_json_and_posted()
    {
        TestEnvironment.RequireRegistry();
        using var project = TestProject.Create("HelloTrainer", "patch-submit");
        File.WriteAllText(Path.Combine(project.Directory, "vertex-patch.json"), """
            {
              "jobSpec": { "experiment": "projects/vertex-test-project/locations/us-central1/metadataStores/default/contexts/moons",
                           "scheduling": { "strategy": "SPOT" } },
              "labels": { "patched": "yes" }
            }
            """);
        var properties = _setup.Properties("patch-submit").With(("VertexJobPatch", "vertex-patch.json"), ("VertexTimeout", "2h"));

        var run = Submission.Run(project, ["publish", "-t:SubmitTraining"], properties, _setup.Environment);

        run.Build.AssertSuccess();
        var document = run.Document;
        Json.String(document, "jobSpec.experiment", "projects/vertex-test-project/locations/us-central1/metadataStores/default/contexts/moons");
        Json.String(document, "jobSpec.scheduling.strategy", "SPOT");
        Json.String(document, "jobSpec.scheduling.timeout", "7200s");
        Json.String(document, "labels.patched", "yes");
        var create = Assert.Single(_setup.Cloud.Creates());
        Json.Equal(document.ToJsonString(), create.BodyWithoutSubmissionLabel(out _), "The POSTed body (without the submission label)");
    }

    public async Task InitializeAsync() => _setup = await CloudSubmissionSetup.StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();
}
