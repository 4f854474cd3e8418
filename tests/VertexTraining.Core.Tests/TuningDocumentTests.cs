using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;
using static VertexTraining.Core.Tests.JobFixtures;

namespace VertexTraining.Core.Tests;

/// <summary>VertexHyperparameter / VertexMetric items → HyperparameterTuningJob JSON.</summary>
public sealed class TuningDocumentTests
{
    /// <summary>All four types, all three scales, and a conditional child under each kind of parent.</summary>
    private static JobInputs EveryParameterKind() => Baseline()
        .Add(VertexItem.Metric, "accuracy", ("Goal", "Maximize"))
        .Add(VertexItem.Metric, "loss", ("Goal", "minimize"))
        .Add(VertexItem.Hyperparameter, "lr", ("Type", "Double"), ("Min", "0.0001"), ("Max", "0.1"), ("Scale", "Log"))
        .Add(VertexItem.Hyperparameter, "layers", ("Type", "integer"), ("Min", "1"), ("Max", "8"), ("Scale", "linear"))
        .Add(VertexItem.Hyperparameter, "batch", ("Type", "Discrete"), ("Values", "16;32;64"))
        .Add(VertexItem.Hyperparameter, "optimizer", ("Type", "Categorical"), ("Values", "adam;sgd;rmsprop"))
        .Add(VertexItem.Hyperparameter, "momentum", ("Type", "Double"), ("Min", "0.5"), ("Max", "0.99"), ("Scale", "ReverseLog"),
            ("ParentParameter", "optimizer"), ("ParentValues", "sgd;rmsprop"))
        .Add(VertexItem.Hyperparameter, "dropout", ("Type", "Double"), ("Min", "0"), ("Max", "0.5"),
            ("ParentParameter", "batch"), ("ParentValues", "32;64"))
        .Add(VertexItem.Hyperparameter, "width", ("Type", "Integer"), ("Min", "16"), ("Max", "512"),
            ("ParentParameter", "layers"), ("ParentValues", "2;4"));

    [Fact]
    public void Study_spec_maps_every_parameter_type_scale_and_conditional_parent()
    {
        var json = BuildJson(EveryParameterKind());

        AssertJsonEqual("""
            {
              "metrics": [ { "metricId": "accuracy", "goal": "MAXIMIZE" }, { "metricId": "loss", "goal": "MINIMIZE" } ],
              "parameters": [
                { "parameterId": "lr", "doubleValueSpec": { "minValue": 0.0001, "maxValue": 0.1 }, "scaleType": "UNIT_LOG_SCALE" },
                {
                  "parameterId": "layers",
                  "integerValueSpec": { "minValue": "1", "maxValue": "8" },
                  "scaleType": "UNIT_LINEAR_SCALE",
                  "conditionalParameterSpecs": [
                    {
                      "parameterSpec": { "parameterId": "width", "integerValueSpec": { "minValue": "16", "maxValue": "512" } },
                      "parentIntValues": { "values": ["2", "4"] }
                    }
                  ]
                },
                {
                  "parameterId": "batch",
                  "discreteValueSpec": { "values": [16, 32, 64] },
                  "conditionalParameterSpecs": [
                    {
                      "parameterSpec": { "parameterId": "dropout", "doubleValueSpec": { "minValue": 0, "maxValue": 0.5 } },
                      "parentDiscreteValues": { "values": [32, 64] }
                    }
                  ]
                },
                {
                  "parameterId": "optimizer",
                  "categoricalValueSpec": { "values": ["adam", "sgd", "rmsprop"] },
                  "conditionalParameterSpecs": [
                    {
                      "parameterSpec": {
                        "parameterId": "momentum",
                        "doubleValueSpec": { "minValue": 0.5, "maxValue": 0.99 },
                        "scaleType": "UNIT_REVERSE_LOG_SCALE"
                      },
                      "parentCategoricalValues": { "values": ["sgd", "rmsprop"] }
                    }
                  ]
                }
              ],
              "measurementSelectionType": "LAST_MEASUREMENT"
            }
            """, json["studySpec"]);

        // int64 fields are strings; double, discrete and trial counts are numbers.
        var parameters = json["studySpec"]!["parameters"]!.AsArray();
        AssertString("1", parameters[1]!["integerValueSpec"]!["minValue"]);
        AssertString("8", parameters[1]!["integerValueSpec"]!["maxValue"]);
        AssertString("2", parameters[1]!["conditionalParameterSpecs"]![0]!["parentIntValues"]!["values"]![0]);
        AssertNumber(0.0001, parameters[0]!["doubleValueSpec"]!["minValue"]);
        AssertNumber(32, parameters[2]!["conditionalParameterSpecs"]![0]!["parentDiscreteValues"]!["values"]![0]);
        AssertNumber(16, parameters[2]!["discreteValueSpec"]!["values"]![0]);
    }

    [Fact]
    public void Conditional_parameters_nest_more_than_one_level_deep()
    {
        var json = BuildJson(Baseline()
            .Add(VertexItem.Metric, "accuracy", ("Goal", "Maximize"))
            .Add(VertexItem.Hyperparameter, "beta2", ("Type", "Double"), ("Min", "0.9"), ("Max", "0.999"), ("ParentParameter", "schedule"), ("ParentValues", "cosine"))
            .Add(VertexItem.Hyperparameter, "optimizer", ("Type", "Categorical"), ("Values", "adam;sgd"))
            .Add(VertexItem.Hyperparameter, "schedule", ("Type", "Categorical"), ("Values", "cosine;step"), ("ParentParameter", "optimizer"), ("ParentValues", "adam")));

        AssertJsonEqual("""
            [
              {
                "parameterId": "optimizer",
                "categoricalValueSpec": { "values": ["adam", "sgd"] },
                "conditionalParameterSpecs": [
                  {
                    "parameterSpec": {
                      "parameterId": "schedule",
                      "categoricalValueSpec": { "values": ["cosine", "step"] },
                      "conditionalParameterSpecs": [
                        {
                          "parameterSpec": { "parameterId": "beta2", "doubleValueSpec": { "minValue": 0.9, "maxValue": 0.999 } },
                          "parentCategoricalValues": { "values": ["cosine"] }
                        }
                      ]
                    },
                    "parentCategoricalValues": { "values": ["adam"] }
                  }
                ]
              }
            ]
            """, json["studySpec"]!["parameters"]);
    }

    [Fact]
    public void Trial_counts_default_to_10_1_0_as_numbers()
    {
        var json = BuildJson(Baseline().WithTuning());

        AssertNumber(10, json["maxTrialCount"]);
        AssertNumber(1, json["parallelTrialCount"]);
        AssertNumber(0, json["maxFailedTrialCount"]);
    }

    [Fact]
    public void Parallel_and_failed_counts_follow_a_smaller_max_trial_count()
    {
        var inputs = Baseline().WithTuning()
            .Set(VertexProperty.ParallelTrialCount, "2")
            .Set(VertexProperty.MaxFailedTrialCount, "3")
            .Set(VertexProperty.MaxTrialCount, "1");

        Assert.Empty(JobDocumentBuilder.Validate(inputs));
        var json = BuildJson(inputs);
        AssertNumber(1, json["maxTrialCount"]);
        AssertNumber(1, json["parallelTrialCount"]);
        AssertNumber(1, json["maxFailedTrialCount"]);
    }

    [Fact]
    public void Trial_counts_are_written_as_numbers()
    {
        var json = BuildJson(Baseline().WithTuning()
            .Set(VertexProperty.MaxTrialCount, "20")
            .Set(VertexProperty.ParallelTrialCount, "4")
            .Set(VertexProperty.MaxFailedTrialCount, "3"));

        AssertNumber(20, json["maxTrialCount"]);
        AssertNumber(4, json["parallelTrialCount"]);
        AssertNumber(3, json["maxFailedTrialCount"]);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Default", null)]
    [InlineData("default", null)]
    [InlineData("Grid", "GRID_SEARCH")]
    [InlineData("grid", "GRID_SEARCH")]
    [InlineData("Random", "RANDOM_SEARCH")]
    [InlineData("RANDOM", "RANDOM_SEARCH")]
    public void Search_algorithm_maps_to_its_enum_and_Default_leaves_it_out(string? algorithm, string? expected)
    {
        // Grid cannot enumerate a Double, so these studies use finite parameters only.
        var inputs = Baseline()
            .Add(VertexItem.Metric, "accuracy", ("Goal", "Maximize"))
            .Add(VertexItem.Hyperparameter, "layers", ("Type", "Integer"), ("Min", "1"), ("Max", "4"))
            .Add(VertexItem.Hyperparameter, "optimizer", ("Type", "Categorical"), ("Values", "adam;sgd"));
        if (algorithm is not null)
        {
            inputs.Set(VertexProperty.SearchAlgorithm, algorithm);
        }

        var study = BuildJson(inputs)["studySpec"]!.AsObject();

        if (expected is null)
        {
            Assert.False(study.ContainsKey("algorithm"));
        }
        else
        {
            AssertString(expected, study["algorithm"]);
        }
    }

    [Theory]
    [InlineData(null, "LAST_MEASUREMENT")]
    [InlineData("Last", "LAST_MEASUREMENT")]
    [InlineData("best", "BEST_MEASUREMENT")]
    [InlineData("Best", "BEST_MEASUREMENT")]
    public void Measurement_selection_maps_to_its_enum(string? selection, string expected)
    {
        var inputs = Baseline().WithTuning();
        if (selection is not null)
        {
            inputs.Set(VertexProperty.MeasurementSelection, selection);
        }

        AssertString(expected, BuildJson(inputs)["studySpec"]!["measurementSelectionType"]);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("None", null)]
    [InlineData("median", "medianAutomatedStoppingSpec")]
    [InlineData("Median", "medianAutomatedStoppingSpec")]
    [InlineData("DecayCurve", "decayCurveStoppingSpec")]
    public void Early_stopping_maps_to_one_automated_stopping_spec_on_steps(string? stopping, string? expectedField)
    {
        var inputs = Baseline().WithTuning();
        if (stopping is not null)
        {
            inputs.Set(VertexProperty.EarlyStopping, stopping);
        }

        var study = BuildJson(inputs)["studySpec"]!.AsObject();

        string[] stoppingFields = ["medianAutomatedStoppingSpec", "decayCurveStoppingSpec", "convexAutomatedStoppingSpec"];
        Assert.Equal(expectedField is null ? [] : [expectedField], study.Select(p => p.Key).Where(stoppingFields.Contains));
        if (expectedField is not null)
        {
            AssertJsonEqual("""{ "useElapsedDuration": false }""", study[expectedField]);
        }
    }

    [Theory]
    [InlineData(VertexProperty.TuningWarmStart, "local/20261203-101500-9f3e", "Vertex AI v1 hyperparameter tuning has no warm start")]
    [InlineData(VertexProperty.Resume, "local/20261203-101500-9f3e", "it continues local tuning jobs")]
    public void Local_only_tuning_properties_warn_on_a_cloud_job_and_leave_the_document_alone(string property, string value, string why)
    {
        var plain = BuildJson(Baseline().WithTuning());
        var result = JobDocumentBuilder.Build(Baseline().WithTuning().Set(property, value), Image);

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics);
        Assert.True(warning.IsWarning);
        Assert.Equal(DiagnosticCodes.LocalOnlyTuningProperty, warning.Code);
        Assert.Contains($"{property} is ignored for a Cloud job: ", warning.Message, StringComparison.Ordinal);
        Assert.Contains(why, warning.Message, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(plain, JsonNode.Parse(result.Document!.ToJson())));

        // Locally they are what the run uses, not a warning.
        var local = JobDocumentBuilder.Build(Baseline().WithTuning().Set(VertexProperty.Target, "Local").Set(property, value), Image);
        Assert.Empty(local.Diagnostics);
    }

    [Fact]
    public void Trial_job_spec_is_the_custom_job_spec_the_same_inputs_map_to()
    {
        static JobInputs Shaped() => Baseline()
            .Set(VertexProperty.JobDisplayName, "sweep")
            .Set(VertexProperty.MachineType, "n1-standard-8")
            .Set(VertexProperty.AcceleratorType, "NVIDIA_TESLA_T4")
            .Set(VertexProperty.AcceleratorCount, "2")
            .Set(VertexProperty.SchedulingStrategy, "Spot")
            .Set(VertexProperty.Timeout, "2h")
            .Set(VertexProperty.ServiceAccount, "trainer@my-project.iam.gserviceaccount.com")
            .Set(VertexProperty.Args, "--epochs=5")
            .Add(VertexItem.Arg, "--seed=1")
            .Add(VertexItem.EnvironmentVariable, "MODE", ("Value", "tune"))
            .Set(VertexProperty.KmsKeyName, "projects/my-project/locations/us-central1/keyRings/ring/cryptoKeys/key")
            .Add(VertexItem.Label, "team", ("Value", "vision"));

        var customJob = BuildJson(Shaped());
        var tuningJob = BuildJson(Shaped().WithTuning());

        AssertJsonEqual(customJob["jobSpec"]!.ToJsonString(), tuningJob["trialJobSpec"]);
        Assert.False(tuningJob.ContainsKey("jobSpec"));
        AssertString("sweep", tuningJob["displayName"]);
        AssertJsonEqual("""{ "team": "vision" }""", tuningJob["labels"]);
        AssertJsonEqual(customJob["encryptionSpec"]!.ToJsonString(), tuningJob["encryptionSpec"]);

        // And spelled out, so a mapping that dropped a field from both would still fail here.
        var trial = tuningJob["trialJobSpec"]!;
        AssertJsonEqual("""{ "timeout": "7200s", "strategy": "SPOT" }""", trial["scheduling"]);
        AssertString("trainer@my-project.iam.gserviceaccount.com", trial["serviceAccount"]);
        var pool = trial["workerPoolSpecs"]![0]!;
        AssertJsonEqual("""{ "machineType": "n1-standard-8", "acceleratorType": "NVIDIA_TESLA_T4", "acceleratorCount": 2 }""", pool["machineSpec"]);
        AssertJsonEqual("""["--epochs=5", "--seed=1"]""", pool["containerSpec"]!["args"]);
        AssertJsonEqual("""
            [
              { "name": "MODE", "value": "tune" },
              { "name": "VERTEX_ACCELERATOR_COUNT", "value": "2" },
              { "name": "VERTEX_ACCELERATOR_TYPE", "value": "NVIDIA_TESLA_T4" }
            ]
            """, pool["containerSpec"]!["env"]);
        AssertString("1", pool["replicaCount"]);
    }

    [Fact]
    public void Trial_job_spec_carries_declared_worker_pools()
    {
        var json = BuildJson(Baseline().WithTuning()
            .Add(VertexItem.WorkerPool, "Primary")
            .Add(VertexItem.WorkerPool, "Evaluators", ("MachineType", "n1-highmem-4")));

        var pools = Pools(json);
        Assert.Equal(4, pools.Count);
        AssertJsonEqual("{}", pools[1]);
        AssertJsonEqual("{}", pools[2]);
        AssertString("n1-highmem-4", pools[3]!["machineSpec"]!["machineType"]);
    }

    [Fact]
    public void Tuning_job_round_trips_through_Parse_unchanged()
    {
        var document = JobDocumentBuilder.Build(EveryParameterKind()
            .Set(VertexProperty.SearchAlgorithm, "Random")
            .Set(VertexProperty.MeasurementSelection, "Best")
            .Set(VertexProperty.MaxTrialCount, "40")
            .Set(VertexProperty.ParallelTrialCount, "5")
            .Set(VertexProperty.MaxFailedTrialCount, "2")
            .Set(VertexProperty.SchedulingStrategy, "Spot")
            .Add(VertexItem.Label, "a_b", ("Value", "1"))
            .Add(VertexItem.Label, "a-b", ("Value", "2")), Image).Document!;
        var json = document.ToJson();

        var parsed = JobDocument.Parse(json);

        Assert.True(parsed.IsTuningJob);
        Assert.Equal("hyperparameterTuningJobs", parsed.Collection);
        Assert.Equal(json, parsed.ToJson());
    }

    [Fact]
    public void Any_hyperparameter_makes_the_document_a_tuning_job()
    {
        var document = JobDocumentBuilder.Build(Baseline().WithTuning(), Image).Document!;

        Assert.True(document.IsTuningJob);
        Assert.Null(document.CustomJob);
        Assert.Same(document.TuningJob!.TrialJobSpec, document.Spec);
        var json = JsonNode.Parse(document.ToJson())!.AsObject();
        Assert.Equal(["displayName", "studySpec", "maxTrialCount", "parallelTrialCount", "maxFailedTrialCount", "trialJobSpec"], json.Select(p => p.Key));
    }
}
