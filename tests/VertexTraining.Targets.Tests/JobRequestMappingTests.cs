using VertexTraining.Targets.Tests.Infrastructure;

namespace VertexTraining.Targets.Tests;

/// <summary>
/// Every property and item of the product that shapes the job, declared in the test assets' project bodies and
/// carried by the real targets and tasks into job-request.json, with the REST JSON types Vertex expects (int64
/// as strings, durations as "7200s", enums by name). The image is the stand-in's, named by the targets' own
/// Artifact Registry default ({region}-docker.pkg.dev/{project}/{repository}/{assembly}).
/// </summary>
public sealed class JobRequestMappingTests
{
    private static readonly Dictionary<string, string> DryRun = new() { ["VertexDryRun"] = "true" };

    [Fact]
    public void Every_job_property_and_item_of_the_project_lands_in_the_CustomJob()
    {
        using var project = TargetsProject.FromAsset("FullJobTrainer");
        var run = project.Build(DryRun, "SubmitTraining");
        run.AssertSuccess();
        var document = project.ReadJobRequest();
        const string image = "europe-west4-docker.pkg.dev/my-project/training/fulljobtrainer@" + TargetsProject.StandInDigest;

        Json.String(document, "displayName", "full-job-mapping");
        Json.Absent(document, "studySpec");
        Json.Absent(document, "trialJobSpec");
        Json.String(document, "labels.team", "vision");
        Json.String(document, "labels['cost-center']", "ml-123");
        Json.String(document, "encryptionSpec.kmsKeyName", "projects/my-project/locations/europe-west4/keyRings/training/cryptoKeys/jobs");

        Json.String(document, "jobSpec.scheduling.timeout", "7200s");
        Json.String(document, "jobSpec.scheduling.strategy", "SPOT");
        Json.Bool(document, "jobSpec.scheduling.restartJobOnWorkerRestart", true);
        Json.Bool(document, "jobSpec.scheduling.disableRetries", false);
        Json.Absent(document, "jobSpec.scheduling.maxWaitDuration");
        Json.String(document, "jobSpec.serviceAccount", "trainer@my-project.iam.gserviceaccount.com");
        Json.String(document, "jobSpec.network", "projects/123456789012/global/networks/training-vpc");
        Json.String(document, "jobSpec.baseOutputDirectory.outputUriPrefix", "gs://my-bucket/runs/full");
        Json.String(document, "jobSpec.tensorboard", "projects/my-project/locations/europe-west4/tensorboards/987654321");
        Json.Bool(document, "jobSpec.enableWebAccess", true);
        Json.Bool(document, "jobSpec.enableDashboardAccess", false);
        Json.String(document, "jobSpec.persistentResourceId", "gpu-pool-1");
        Json.String(document, "jobSpec.protectedArtifactLocationId", "us-east1");

        // Pool 0 takes the Vertex* machine properties; pool 2 (ParameterServers) is not declared and
        // stays {} so Evaluators keeps index 3. replicaCount is int64 (a string); the rest int32 numbers.
        const string args = """["--epochs=3", "--lr=0.1", "--seed=42", "--data=gs://my-bucket/data"]""";
        Json.Equal($$"""
            [
              {
                "containerSpec": {
                  "imageUri": "{{image}}",
                  "args": {{args}},
                  "env": [
                    { "name": "TRAINING_MODE", "value": "full" },
                    { "name": "LOG_LEVEL", "value": "debug" },
                    { "name": "VERTEX_ACCELERATOR_COUNT", "value": "2" },
                    { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_TESLA_T4" }
                  ]
                },
                "machineSpec": { "machineType": "n1-standard-8", "acceleratorType": "NVIDIA_TESLA_T4", "acceleratorCount": 2 },
                "replicaCount": "1",
                "diskSpec": { "bootDiskType": "pd-ssd", "bootDiskSizeGb": 250 }
              },
              {
                "containerSpec": {
                  "imageUri": "{{image}}",
                  "args": {{args}},
                  "env": [
                    { "name": "TRAINING_MODE", "value": "full" },
                    { "name": "LOG_LEVEL", "value": "debug" },
                    { "name": "VERTEX_ACCELERATOR_COUNT", "value": "4" },
                    { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_TESLA_T4" }
                  ]
                },
                "machineSpec": { "machineType": "n1-standard-16", "acceleratorType": "NVIDIA_TESLA_T4", "acceleratorCount": 4 },
                "replicaCount": "3",
                "diskSpec": { "bootDiskType": "pd-standard", "bootDiskSizeGb": 500 }
              },
              {},
              {
                "containerSpec": {
                  "imageUri": "europe-docker.pkg.dev/my-project/training/evaluator:1.2",
                  "command": ["/app/evaluate", "--verbose"],
                  "args": ["--split=test", "--metrics=all"],
                  "env": [
                    { "name": "TRAINING_MODE", "value": "full" },
                    { "name": "LOG_LEVEL", "value": "debug" },
                    { "name": "VERTEX_ACCELERATOR_COUNT", "value": "1" },
                    { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_TESLA_V100" }
                  ]
                },
                "machineSpec": { "machineType": "n1-highmem-8", "acceleratorType": "NVIDIA_TESLA_V100", "acceleratorCount": 1 },
                "replicaCount": "1",
                "diskSpec": { "bootDiskType": "pd-ssd", "bootDiskSizeGb": 100 }
              }
            ]
            """, Json.At(document, "jobSpec.workerPoolSpecs"), "jobSpec.workerPoolSpecs");
    }

    [Fact]
    public void Hyperparameters_make_a_HyperparameterTuningJob_with_studySpec_and_trialJobSpec()
    {
        using var project = TargetsProject.FromAsset("TuningTrainer");
        var run = project.Build(DryRun, "SubmitTraining");
        run.AssertSuccess();
        var document = project.ReadJobRequest();
        const string image = "us-central1-docker.pkg.dev/my-project/training/tuningtrainer@" + TargetsProject.StandInDigest;

        Assert.Contains(run.Lines, l => l.Contains("HyperparameterTuningJob request written", StringComparison.Ordinal));
        Json.String(document, "displayName", "tuning-mapping");
        Json.Absent(document, "jobSpec");
        Json.Number(document, "maxTrialCount", 20);
        Json.Number(document, "parallelTrialCount", 4);
        Json.Number(document, "maxFailedTrialCount", 2);
        Json.String(document, "labels.purpose", "tuning");

        // integerValueSpec bounds are int64 (strings); double and discrete values are numbers.
        Json.Equal("""
            {
              "metrics": [ { "metricId": "accuracy", "goal": "MAXIMIZE" } ],
              "parameters": [
                { "parameterId": "learning_rate", "doubleValueSpec": { "minValue": 0.0001, "maxValue": 0.1 }, "scaleType": "UNIT_LOG_SCALE" },
                { "parameterId": "layers", "integerValueSpec": { "minValue": "1", "maxValue": "4" }, "scaleType": "UNIT_LINEAR_SCALE" },
                { "parameterId": "batch_size", "discreteValueSpec": { "values": [32, 64, 128] } },
                {
                  "parameterId": "optimizer",
                  "categoricalValueSpec": { "values": ["adam", "sgd"] },
                  "conditionalParameterSpecs": [
                    {
                      "parameterSpec": { "parameterId": "momentum", "doubleValueSpec": { "minValue": 0, "maxValue": 0.99 } },
                      "parentCategoricalValues": { "values": ["sgd"] }
                    }
                  ]
                }
              ],
              "algorithm": "RANDOM_SEARCH",
              "measurementSelectionType": "BEST_MEASUREMENT"
            }
            """, Json.At(document, "studySpec"), "studySpec");

        Json.Equal($$"""
            [
              {
                "containerSpec": {
                  "imageUri": "{{image}}",
                  "args": ["--epochs=5"],
                  "env": [
                    { "name": "VERTEX_ACCELERATOR_COUNT", "value": "1" },
                    { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_L4" }
                  ]
                },
                "machineSpec": { "machineType": "g2-standard-8", "acceleratorType": "NVIDIA_L4", "acceleratorCount": 1 },
                "replicaCount": "1"
              }
            ]
            """, Json.At(document, "trialJobSpec.workerPoolSpecs"), "trialJobSpec.workerPoolSpecs");
        Json.String(document, "trialJobSpec.scheduling.timeout", "5400s");
    }
}
