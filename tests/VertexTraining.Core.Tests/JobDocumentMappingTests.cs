using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using static VertexTraining.Core.Tests.JobFixtures;

namespace VertexTraining.Core.Tests;

/// <summary>Properties and items → CustomJob JSON, compared field by field with the REST JSON types.</summary>
public sealed class JobDocumentMappingTests
{
    private static JobInputs EveryProperty() => Baseline()
        .Set(VertexProperty.JobDisplayName, "resnet-train")
        .Set(VertexProperty.MachineType, "n1-standard-8")
        .Set(VertexProperty.AcceleratorType, "nvidia_tesla_t4")
        .Set(VertexProperty.AcceleratorCount, "2")
        .Set(VertexProperty.BootDiskType, "pd-ssd")
        .Set(VertexProperty.BootDiskSizeGb, "200")
        .Set(VertexProperty.Args, "--epochs=10; --batch=64")
        .Add(VertexItem.Arg, "--lr=0.1")
        .Add(VertexItem.EnvironmentVariable, "DATA_DIR", ("Value", "gs://my-bucket/data"))
        .Add(VertexItem.EnvironmentVariable, "MODE", ("Value", "train"))
        .Set(VertexProperty.Timeout, "90m")
        .Set(VertexProperty.SchedulingStrategy, "spot")
        .Set(VertexProperty.RestartJobOnWorkerRestart, "true")
        .Set(VertexProperty.DisableRetries, "False")
        .Set(VertexProperty.ServiceAccount, "trainer@my-project.iam.gserviceaccount.com")
        .Set(VertexProperty.Network, "projects/123456789/global/networks/vpc-main")
        .Set(VertexProperty.Tensorboard, "projects/my-project/locations/us-central1/tensorboards/42")
        .Set(VertexProperty.KmsKeyName, "projects/my-project/locations/us-central1/keyRings/ring/cryptoKeys/key")
        .Set(VertexProperty.PersistentResourceId, "pool-a")
        .Set(VertexProperty.BaseOutputDirectory, "gs://my-bucket/runs/1")
        .Set(VertexProperty.EnableWebAccess, "true")
        .Set(VertexProperty.EnableDashboardAccess, "false")
        .Add(VertexItem.Label, "team", ("Value", "vision"))
        .Add(VertexItem.Label, "cost-center", ("Value", "42"));

    [Fact]
    public void Every_job_shaping_property_lands_in_the_document_with_its_REST_type()
    {
        var json = BuildJson(EveryProperty());

        AssertJsonEqual($$"""
            {
              "displayName": "resnet-train",
              "jobSpec": {
                "workerPoolSpecs": [
                  {
                    "containerSpec": {
                      "imageUri": "{{Image}}",
                      "args": ["--epochs=10", "--batch=64", "--lr=0.1"],
                      "env": [
                        { "name": "DATA_DIR", "value": "gs://my-bucket/data" },
                        { "name": "MODE", "value": "train" },
                        { "name": "VERTEX_ACCELERATOR_COUNT", "value": "2" },
                        { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_TESLA_T4" }
                      ]
                    },
                    "machineSpec": { "machineType": "n1-standard-8", "acceleratorType": "NVIDIA_TESLA_T4", "acceleratorCount": 2 },
                    "replicaCount": "1",
                    "diskSpec": { "bootDiskType": "pd-ssd", "bootDiskSizeGb": 200 }
                  }
                ],
                "scheduling": { "timeout": "5400s", "restartJobOnWorkerRestart": true, "strategy": "SPOT", "disableRetries": false },
                "serviceAccount": "trainer@my-project.iam.gserviceaccount.com",
                "network": "projects/123456789/global/networks/vpc-main",
                "baseOutputDirectory": { "outputUriPrefix": "gs://my-bucket/runs/1" },
                "tensorboard": "projects/my-project/locations/us-central1/tensorboards/42",
                "enableWebAccess": true,
                "enableDashboardAccess": false,
                "persistentResourceId": "pool-a"
              },
              "labels": { "cost-center": "42", "team": "vision" },
              "encryptionSpec": { "kmsKeyName": "projects/my-project/locations/us-central1/keyRings/ring/cryptoKeys/key" }
            }
            """, json);

        // The same facts, asserted by JSON type: int64 is a string, int32 a number, flags are booleans.
        var pool = Pools(json)[0]!;
        AssertString("1", pool["replicaCount"]);
        AssertNumber(2, pool["machineSpec"]!["acceleratorCount"]);
        AssertNumber(200, pool["diskSpec"]!["bootDiskSizeGb"]);
        AssertBool(true, json["jobSpec"]!["scheduling"]!["restartJobOnWorkerRestart"]);
        AssertBool(false, json["jobSpec"]!["scheduling"]!["disableRetries"]);
        AssertBool(true, json["jobSpec"]!["enableWebAccess"]);
        AssertBool(false, json["jobSpec"]!["enableDashboardAccess"]);
        AssertString("5400s", json["jobSpec"]!["scheduling"]!["timeout"]);
    }

    [Fact]
    public void Unset_optional_fields_are_absent()
    {
        var json = BuildJson(Baseline());

        AssertJsonEqual($$"""
            {
              "displayName": "vertex-training-job",
              "jobSpec": {
                "workerPoolSpecs": [
                  { "containerSpec": { "imageUri": "{{Image}}" }, "machineSpec": { "machineType": "n1-standard-4" }, "replicaCount": "1" }
                ]
              }
            }
            """, json);
        Assert.False(json["jobSpec"]!.AsObject().ContainsKey("scheduling"));
    }

    [Theory]
    [InlineData("90m", "5400s")]
    [InlineData("2h", "7200s")]
    [InlineData("3600s", "3600s")]
    [InlineData("01:02:03", "3723s")]
    [InlineData("1.5h", "5400s")]
    [InlineData("1d", "86400s")]
    [InlineData(" 45 M ", "2700s")]
    [InlineData("2.5s", "2.5s")]
    public void Timeout_is_written_as_a_proto_duration(string timeout, string expected)
    {
        var json = BuildJson(Baseline().Set(VertexProperty.Timeout, timeout));

        AssertJsonEqual($$"""{ "timeout": "{{expected}}" }""", json["jobSpec"]!["scheduling"]);
    }

    [Theory]
    [InlineData("Standard", "STANDARD")]
    [InlineData("standard", "STANDARD")]
    [InlineData("SPOT", "SPOT")]
    [InlineData("spot", "SPOT")]
    [InlineData("FlexStart", "FLEX_START")]
    [InlineData("flexstart", "FLEX_START")]
    [InlineData("FLEXSTART", "FLEX_START")]
    public void Scheduling_strategy_is_the_REST_enum_name_whatever_the_input_case(string strategy, string expected)
    {
        var json = BuildJson(Baseline().Set(VertexProperty.SchedulingStrategy, strategy));

        AssertJsonEqual($$"""{ "strategy": "{{expected}}" }""", json["jobSpec"]!["scheduling"]);
    }

    [Theory]
    [InlineData("0s", "0s")]
    [InlineData("2h", "7200s")]
    [InlineData("00:30:00", "1800s")]
    public void Max_wait_is_written_with_FlexStart_and_zero_means_wait_forever(string maxWait, string expected)
    {
        var json = BuildJson(Baseline()
            .Set(VertexProperty.SchedulingStrategy, "FlexStart")
            .Set(VertexProperty.MaxWaitDuration, maxWait));

        AssertJsonEqual($$"""{ "strategy": "FLEX_START", "maxWaitDuration": "{{expected}}" }""", json["jobSpec"]!["scheduling"]);
    }

    [Fact]
    public void Spot_without_max_wait_writes_no_maxWaitDuration()
    {
        var json = BuildJson(Baseline().Set(VertexProperty.SchedulingStrategy, "Spot"));

        Assert.False(json["jobSpec"]!["scheduling"]!.AsObject().ContainsKey("maxWaitDuration"));
    }

    [Theory]
    [InlineData(VertexProperty.RestartJobOnWorkerRestart, "restartJobOnWorkerRestart", "TRUE", true)]
    [InlineData(VertexProperty.RestartJobOnWorkerRestart, "restartJobOnWorkerRestart", "false", false)]
    [InlineData(VertexProperty.DisableRetries, "disableRetries", "true", true)]
    [InlineData(VertexProperty.DisableRetries, "disableRetries", "False", false)]
    public void Scheduling_flags_are_JSON_booleans(string property, string field, string value, bool expected)
    {
        var json = BuildJson(Baseline().Set(property, value));

        var scheduling = json["jobSpec"]!["scheduling"]!.AsObject();
        Assert.Single(scheduling);
        AssertBool(expected, scheduling[field]);
    }

    [Fact]
    public void Default_shape_splits_the_replica_count_into_a_primary_and_a_worker_pool()
    {
        var json = BuildJson(Baseline()
            .Set(VertexProperty.ReplicaCount, "3")
            .Set(VertexProperty.MachineType, "g2-standard-8")
            .Set(VertexProperty.AcceleratorType, "NVIDIA_L4"));

        var pools = Pools(json);
        Assert.Equal(2, pools.Count);
        AssertString("1", pools[0]!["replicaCount"]);
        AssertString("2", pools[1]!["replicaCount"]);
        foreach (var pool in pools)
        {
            AssertJsonEqual("""{ "machineType": "g2-standard-8", "acceleratorType": "NVIDIA_L4", "acceleratorCount": 1 }""", pool!["machineSpec"]);
            AssertJsonEqual("""
                [ { "name": "VERTEX_ACCELERATOR_COUNT", "value": "1" }, { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_L4" } ]
                """, pool["containerSpec"]!["env"]);
        }
    }

    [Fact]
    public void Replica_count_of_one_keeps_a_single_pool()
    {
        var json = BuildJson(Baseline().Set(VertexProperty.ReplicaCount, "1"));

        Assert.Single(Pools(json));
    }

    [Fact]
    public void Fixed_count_GPU_machine_gets_its_GPU_count_when_none_is_given()
    {
        var json = BuildJson(Baseline()
            .Set(VertexProperty.MachineType, "a2-highgpu-8g")
            .Set(VertexProperty.AcceleratorType, "NVIDIA_TESLA_A100"));

        var pool = Pools(json)[0]!;
        AssertNumber(8, pool["machineSpec"]!["acceleratorCount"]);
        AssertJsonEqual("""
            [ { "name": "VERTEX_ACCELERATOR_COUNT", "value": "8" }, { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_TESLA_A100" } ]
            """, pool["containerSpec"]!["env"]);
    }

    [Fact]
    public void No_accelerator_means_no_accelerator_fields_and_no_accelerator_variables()
    {
        var json = BuildJson(Baseline().Add(VertexItem.EnvironmentVariable, "MODE", ("Value", "train")));

        var pool = Pools(json)[0]!;
        AssertJsonEqual("""{ "machineType": "n1-standard-4" }""", pool["machineSpec"]);
        AssertJsonEqual("""[ { "name": "MODE", "value": "train" } ]""", pool["containerSpec"]!["env"]);
    }

    [Fact]
    public void Declared_pools_map_their_metadata_and_fall_back_to_the_properties()
    {
        var inputs = Baseline()
            .Set(VertexProperty.BootDiskSizeGb, "150")
            .Set(VertexProperty.Args, "--data=gs://my-bucket/data")
            .Add(VertexItem.EnvironmentVariable, "MODE", ("Value", "train"))
            .Add(VertexItem.WorkerPool, "Primary", ("MachineType", "a2-highgpu-1g"), ("AcceleratorType", "NVIDIA_TESLA_A100"))
            .Add(VertexItem.WorkerPool, "Workers",
                ("MachineType", "n1-standard-16"), ("AcceleratorType", "NVIDIA_TESLA_T4"), ("AcceleratorCount", "4"),
                ("ReplicaCount", "3"), ("BootDiskType", "pd-standard"), ("BootDiskSizeGb", "500"),
                ("ImageUri", "us-docker.pkg.dev/my-project/training/worker:1"), ("Args", "--role=worker;--shard=all"),
                ("Command", "dotnet;/app/Worker.dll"))
            .Add(VertexItem.WorkerPool, "Evaluators");

        var pools = Pools(BuildJson(inputs));

        AssertJsonEqual($$"""
            [
              {
                "containerSpec": {
                  "imageUri": "{{Image}}",
                  "args": ["--data=gs://my-bucket/data"],
                  "env": [
                    { "name": "MODE", "value": "train" },
                    { "name": "VERTEX_ACCELERATOR_COUNT", "value": "1" },
                    { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_TESLA_A100" }
                  ]
                },
                "machineSpec": { "machineType": "a2-highgpu-1g", "acceleratorType": "NVIDIA_TESLA_A100", "acceleratorCount": 1 },
                "replicaCount": "1",
                "diskSpec": { "bootDiskSizeGb": 150 }
              },
              {
                "containerSpec": {
                  "imageUri": "us-docker.pkg.dev/my-project/training/worker:1",
                  "command": ["dotnet", "/app/Worker.dll"],
                  "args": ["--role=worker", "--shard=all"],
                  "env": [
                    { "name": "MODE", "value": "train" },
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
                  "imageUri": "{{Image}}",
                  "args": ["--data=gs://my-bucket/data"],
                  "env": [ { "name": "MODE", "value": "train" } ]
                },
                "machineSpec": { "machineType": "n1-standard-4" },
                "replicaCount": "1",
                "diskSpec": { "bootDiskSizeGb": 150 }
              }
            ]
            """, pools);
        AssertString("3", pools[1]!["replicaCount"]);
        Assert.Empty(pools[2]!.AsObject());
    }

    [Fact]
    public void Pool_metadata_falls_back_to_the_accelerator_and_disk_properties()
    {
        var inputs = Baseline()
            .Set(VertexProperty.MachineType, "g2-standard-8")
            .Set(VertexProperty.AcceleratorType, "NVIDIA_L4")
            .Set(VertexProperty.BootDiskType, "pd-ssd")
            .Add(VertexItem.WorkerPool, "Primary")
            .Add(VertexItem.WorkerPool, "Workers", ("ReplicaCount", "2"));

        var pools = Pools(BuildJson(inputs));

        Assert.Equal(2, pools.Count);
        foreach (var pool in pools)
        {
            AssertJsonEqual("""{ "machineType": "g2-standard-8", "acceleratorType": "NVIDIA_L4", "acceleratorCount": 1 }""", pool!["machineSpec"]);
            AssertJsonEqual("""{ "bootDiskType": "pd-ssd" }""", pool["diskSpec"]);
        }

        AssertString("2", pools[1]!["replicaCount"]);
    }

    [Fact]
    public void Trailing_missing_pools_are_omitted_and_middle_ones_sent_as_empty_objects()
    {
        var onlyPrimaryAndWorkers = Pools(BuildJson(Baseline()
            .Add(VertexItem.WorkerPool, "Primary")
            .Add(VertexItem.WorkerPool, "Workers", ("ReplicaCount", "2"))));
        var primaryAndParameterServers = Pools(BuildJson(Baseline()
            .Add(VertexItem.WorkerPool, "ParameterServers", ("MachineType", "n1-highmem-8"))
            .Add(VertexItem.WorkerPool, "primary")));

        Assert.Equal(2, onlyPrimaryAndWorkers.Count);
        Assert.Equal(3, primaryAndParameterServers.Count);
        AssertJsonEqual("{}", primaryAndParameterServers[1]);
        AssertString("n1-standard-4", primaryAndParameterServers[0]!["machineSpec"]!["machineType"]);
        AssertString("n1-highmem-8", primaryAndParameterServers[2]!["machineSpec"]!["machineType"]);
    }

    [Fact]
    public void Replica_count_of_one_may_accompany_declared_pools()
    {
        var json = BuildJson(Baseline().Set(VertexProperty.ReplicaCount, "1").Add(VertexItem.WorkerPool, "Primary"));

        Assert.Single(Pools(json));
    }

    [Fact]
    public void Tpu_job_runs_as_one_replica_on_cloud_tpu()
    {
        var json = BuildJson(Baseline()
            .Set(VertexProperty.MachineType, "cloud-tpu")
            .Set(VertexProperty.AcceleratorType, "TPU_V3")
            .Set(VertexProperty.AcceleratorCount, "8"));

        AssertJsonEqual("""{ "machineType": "cloud-tpu", "acceleratorType": "TPU_V3", "acceleratorCount": 8 }""", Pools(json)[0]!["machineSpec"]);
    }

    [Fact]
    public void Metric_without_hyperparameters_warns_and_still_builds_a_custom_job()
    {
        var result = JobDocumentBuilder.Build(Baseline().Add(VertexItem.Metric, "accuracy", ("Goal", "Maximize")), Image);

        Assert.True(result.Succeeded);
        Assert.False(result.Document!.IsTuningJob);
        var warning = Assert.Single(result.Diagnostics);
        Assert.True(warning.IsWarning);
        Assert.Equal("VTX1084", warning.Code);
    }

    [Fact]
    public void Custom_job_round_trips_through_Parse_unchanged()
    {
        var document = JobDocumentBuilder.Build(EveryProperty()
            .Set(VertexProperty.SchedulingStrategy, "FlexStart")
            .Set(VertexProperty.MaxWaitDuration, "0s")
            .Add(VertexItem.Label, "a_b", ("Value", "1"))
            .Add(VertexItem.Label, "a-b", ("Value", "2"))
            .Add(VertexItem.Label, "ab", ("Value", "3"))
            .Add(VertexItem.WorkerPool, "Primary")
            .Add(VertexItem.WorkerPool, "Evaluators", ("ReplicaCount", "2")), Image).Document!;
        var json = document.ToJson();

        var parsed = JobDocument.Parse(json);

        Assert.False(parsed.IsTuningJob);
        Assert.Equal("customJobs", parsed.Collection);
        Assert.Equal(json, parsed.ToJson());
    }

    [Fact]
    public void Labels_are_written_in_ordinal_key_order()
    {
        var json = BuildJson(Baseline()
            .Add(VertexItem.Label, "ab", ("Value", "3"))
            .Add(VertexItem.Label, "a_b", ("Value", "1"))
            .Add(VertexItem.Label, "a-b", ("Value", "2")));

        Assert.Equal(["a-b", "a_b", "ab"], json["labels"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Labels_added_to_a_built_or_parsed_document_keep_ordinal_order()
    {
        var built = JobDocumentBuilder.Build(Baseline(), Image).Document!;
        built.Labels["a_b"] = "1";
        built.Labels["a-b"] = "2";
        var parsed = JobDocument.Parse(built.ToJson());
        parsed.Labels["a-a"] = "0";

        Assert.Equal(["a-b", "a_b"], JsonNode.Parse(built.ToJson())!["labels"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["a-a", "a-b", "a_b"], JsonNode.Parse(parsed.ToJson())!["labels"]!.AsObject().Select(p => p.Key));
    }
}
