namespace VertexTraining.Runtime.Tests;

public class TrainingEnvironmentTests
{
    private const string DistributedClusterSpec = """
        {
          "cluster": {
            "workerpool0": ["cmle-training-workerpool0-ab-0:2222"],
            "workerpool1": ["cmle-training-workerpool1-ab-0:2222", "cmle-training-workerpool1-ab-1:2222"],
            "workerpool2": ["cmle-training-workerpool2-ab-0:2222"],
            "workerpool3": ["cmle-training-workerpool3-ab-0:2222"]
          },
          "environment": "cloud",
          "task": { "type": "TASK_TYPE", "index": TASK_INDEX, "trial": "4" },
          "job": { "worker_pool_specs": [ { "replica_count": 1 } ] }
        }
        """;

    private static TrainingEnvironment Read(params (string Name, string Value)[] variables) =>
        TrainingEnvironment.FromVariables(variables.ToDictionary(v => v.Name, v => v.Value));

    private static TrainingEnvironment Replica(string pool, int index) =>
        Read(("CLUSTER_SPEC", DistributedClusterSpec.Replace("TASK_TYPE", pool).Replace("TASK_INDEX", index.ToString())));

    [Fact]
    public void Without_any_cluster_description_the_process_is_the_single_primary()
    {
        var env = Read();

        Assert.Null(env.ClusterSpec);
        Assert.Null(env.TfConfig);
        Assert.Equal("workerpool0", env.TaskType);
        Assert.Equal(0, env.TaskIndex);
        Assert.Equal(TaskRole.Primary, env.Role);
        Assert.True(env.IsPrimary);
        Assert.Equal(0, env.Rank);
        Assert.Equal(1, env.WorldSize);
        Assert.Empty(env.Pools);
        Assert.Null(env.PrimaryAddress);
        Assert.Null(env.TrialId);
        Assert.False(env.IsTrial);
        Assert.False(env.IsOnVertex);
        Assert.False(env.IsLocal);
        Assert.Equal(0, env.AcceleratorCount);
    }

    [Fact]
    public void The_cluster_spec_gives_pools_task_and_trial()
    {
        var env = Replica("workerpool1", 1);

        Assert.Equal(["workerpool0", "workerpool1", "workerpool2", "workerpool3"], env.Pools.Keys.Order());
        Assert.Equal(["cmle-training-workerpool1-ab-0:2222", "cmle-training-workerpool1-ab-1:2222"], env.Pools["workerpool1"]);
        Assert.Equal("workerpool1", env.TaskType);
        Assert.Equal(1, env.TaskIndex);
        Assert.Equal(TaskRole.Worker, env.Role);
        Assert.Equal("4", env.TrialId);
        Assert.True(env.IsTrial);
        Assert.False(env.IsPrimary);
        Assert.True(env.IsOnVertex);
        Assert.False(env.IsLocal);
        Assert.Equal("cloud", env.ClusterSpec!.Environment);
        Assert.Equal("cmle-training-workerpool0-ab-0:2222", env.PrimaryAddress);
        Assert.Contains("worker_pool_specs", env.ClusterSpec.JobJson);
    }

    [Theory]
    [InlineData("workerpool0", 0, TaskRole.Primary, 0, true)]
    [InlineData("workerpool1", 0, TaskRole.Worker, 1, false)]
    [InlineData("workerpool1", 1, TaskRole.Worker, 2, false)]
    [InlineData("workerpool2", 0, TaskRole.ParameterServer, -1, false)]
    [InlineData("workerpool3", 0, TaskRole.Evaluator, -1, false)]
    public void Ranks_count_only_training_replicas(string pool, int index, TaskRole role, int rank, bool primary)
    {
        var env = Replica(pool, index);

        Assert.Equal(role, env.Role);
        Assert.Equal(rank, env.Rank);
        Assert.Equal(rank >= 0, env.IsTrainingReplica);
        Assert.Equal(primary, env.IsPrimary);
        Assert.Equal(3, env.WorldSize);
    }

    [Fact]
    public void A_single_replica_cluster_spec_has_world_size_one()
    {
        var env = Read(("CLUSTER_SPEC", """{"cluster":{"workerpool0":["h:2222"]},"environment":"cloud","task":{"type":"workerpool0","index":0}}"""));

        Assert.True(env.IsPrimary);
        Assert.Equal(0, env.Rank);
        Assert.Equal(1, env.WorldSize);
        Assert.Null(env.TrialId);
    }

    [Fact]
    public void An_empty_trial_in_the_cluster_spec_falls_back_to_CLOUD_ML_TRIAL_ID()
    {
        var env = Read(
            ("CLUSTER_SPEC", """{"cluster":{},"task":{"type":"workerpool0","index":0,"trial":""}}"""),
            ("CLOUD_ML_TRIAL_ID", "9"));

        Assert.Equal("9", env.TrialId);
    }

    [Fact]
    public void TF_CONFIG_alone_is_mapped_onto_pool_names()
    {
        var env = Read(("TF_CONFIG", """
            {"cluster": {"chief": ["c:2222"], "worker": ["w0:2222", "w1:2222"], "ps": ["p:2222"]},
             "task": {"type": "worker", "index": 1, "trial": "2"}, "environment": "cloud"}
            """));

        Assert.Equal("workerpool1", env.TaskType);
        Assert.Equal(TaskRole.Worker, env.Role);
        Assert.Equal(2, env.Rank);
        Assert.Equal(3, env.WorldSize);
        Assert.Equal(["c:2222"], env.Pools["workerpool0"]);
        Assert.Equal(["p:2222"], env.Pools["workerpool2"]);
        Assert.Equal("2", env.TrialId);
        Assert.Equal("worker", env.TfConfig!.TaskType);
    }

    [Fact]
    public void CLUSTER_SPEC_wins_over_TF_CONFIG()
    {
        var env = Read(
            ("CLUSTER_SPEC", """{"cluster":{"workerpool0":["a:1"],"workerpool1":["b:1"]},"environment":"cloud","task":{"type":"workerpool0","index":0}}"""),
            ("TF_CONFIG", """{"cluster":{"master":["x:1"]},"task":{"type":"master","index":0}}"""));

        Assert.Equal("a:1", env.PrimaryAddress);
        Assert.Equal(2, env.WorldSize);
        Assert.NotNull(env.TfConfig);
    }

    [Theory]
    [InlineData("VERTEX_TRAINING_LOCAL", "1", "cloud")]
    [InlineData("VERTEX_TRAINING_LOCAL", "true", "cloud")]
    [InlineData("OTHER", "x", "local")]
    public void The_local_runner_is_recognised(string variable, string value, string clusterEnvironment)
    {
        var env = Read(
            (variable, value),
            ("CLUSTER_SPEC", $$$"""{"cluster":{"workerpool0":["localhost:2222"]},"environment":"{{{clusterEnvironment}}}","task":{"type":"workerpool0","index":0}}"""));

        Assert.True(env.IsLocal);
        Assert.False(env.IsOnVertex);
    }

    [Fact]
    public void Output_directories_and_job_identity_are_read()
    {
        var env = Read(
            ("AIP_MODEL_DIR", "gs://bucket/out/4/model/"),
            ("AIP_CHECKPOINT_DIR", "gs://bucket/out/4/checkpoints/"),
            ("AIP_TENSORBOARD_LOG_DIR", "/tmp/local/logs/"),
            ("CLOUD_ML_JOB_ID", "1234567890"),
            ("CLOUD_ML_PROJECT_ID", "987654321"),
            ("VERTEX_ACCELERATOR_COUNT", "2"),
            ("VERTEX_ACCELERATOR_TYPE", "NVIDIA_TESLA_T4"));

        Assert.Equal("gs://bucket/out/4/model/", env.ModelDir);
        Assert.Equal("/gcs/bucket/out/4/model/", env.ModelDirLocalPath);
        Assert.Equal("gs://bucket/out/4/checkpoints/", env.CheckpointDir);
        Assert.Equal("/gcs/bucket/out/4/checkpoints/", env.CheckpointDirLocalPath);
        Assert.Equal("/tmp/local/logs/", env.TensorBoardLogDir);
        Assert.Equal("/tmp/local/logs/", env.TensorBoardLogDirLocalPath);
        Assert.Equal("1234567890", env.JobId);
        Assert.Equal("987654321", env.ProjectNumber);
        Assert.Equal(2, env.AcceleratorCount);
        Assert.Equal("NVIDIA_TESLA_T4", env.AcceleratorType);
        Assert.Equal("2", env.GetVariable("VERTEX_ACCELERATOR_COUNT"));
    }

    [Fact]
    public void Missing_output_directories_are_null()
    {
        var env = Read(("AIP_MODEL_DIR", ""));

        Assert.Null(env.ModelDir);
        Assert.Null(env.ModelDirLocalPath);
        Assert.Null(env.CheckpointDirLocalPath);
    }

    [Fact]
    public void Malformed_CLUSTER_SPEC_JSON_names_the_variable()
    {
        var e = Assert.Throws<TrainingEnvironmentException>(() => Read(("CLUSTER_SPEC", "{\"cluster\": ")));

        Assert.Equal("CLUSTER_SPEC", e.VariableName);
        Assert.StartsWith("The environment variable CLUSTER_SPEC does not hold valid JSON", e.Message);
        Assert.NotNull(e.InnerException);
    }

    [Theory]
    [InlineData("[]", "the value must be a JSON object, found an array")]
    [InlineData("""{"cluster":{"workerpool0":"h:1"}}""", "cluster.workerpool0 must be a JSON array, found \"h:1\"")]
    [InlineData("""{"cluster":{"workerpool0":[1]}}""", "each entry of cluster.workerpool0 must be a JSON string, found 1")]
    [InlineData("""{"task":{"type":"workerpool0","index":-1}}""", "task.index must be a non-negative whole number, found -1")]
    [InlineData("""{"task":{"type":"workerpool0","index":1.5}}""", "task.index must be a non-negative whole number, found 1.5")]
    [InlineData("""{"task":{"type":["x"]}}""", "task.type must be a string, found an array")]
    public void A_CLUSTER_SPEC_of_the_wrong_shape_says_what_is_wrong(string json, string problem)
    {
        var e = Assert.Throws<TrainingEnvironmentException>(() => Read(("CLUSTER_SPEC", json)));

        Assert.Equal($"The environment variable CLUSTER_SPEC is not a valid cluster description: {problem}.", e.Message);
    }

    [Fact]
    public void Malformed_TF_CONFIG_names_TF_CONFIG()
    {
        var e = Assert.Throws<TrainingEnvironmentException>(() => Read(("TF_CONFIG", "not json")));

        Assert.Equal("TF_CONFIG", e.VariableName);
        Assert.Contains("TF_CONFIG", e.Message);
    }

    [Fact]
    public void Index_and_trial_written_as_other_json_types_are_accepted()
    {
        var env = Read(("CLUSTER_SPEC", """{"task":{"type":"workerpool1","index":"3","trial":12}}"""));

        Assert.Equal(3, env.TaskIndex);
        Assert.Equal("12", env.TrialId);
    }

    [Fact]
    public void A_malformed_accelerator_count_names_the_variable()
    {
        var e = Assert.Throws<TrainingEnvironmentException>(() => Read(("VERTEX_ACCELERATOR_COUNT", "two")));

        Assert.Equal("VERTEX_ACCELERATOR_COUNT", e.VariableName);
        Assert.Contains("'two'", e.Message);
    }

    [Fact]
    public void ToString_summarises_the_replica()
    {
        Assert.Equal("workerpool1-1 (rank 2 of 3, trial 4, on Vertex AI)", Replica("workerpool1", 1).ToString());
    }

    [Fact]
    public void Distributed_variables_are_derived_from_the_cluster_when_not_set()
    {
        var worker = Replica("workerpool1", 1);

        Assert.Equal("cmle-training-workerpool0-ab-0", worker.MasterAddress);
        Assert.Equal(2222, worker.MasterPort);
        Assert.Equal(2, worker.Rank);
        Assert.Equal(3, worker.WorldSize);

        var single = Read();
        Assert.Null(single.MasterAddress);
        Assert.Null(single.MasterPort);
    }

    [Fact]
    public void Distributed_variables_win_when_set()
    {
        var env = Read(
            ("CLUSTER_SPEC", DistributedClusterSpec.Replace("TASK_TYPE", "workerpool1").Replace("TASK_INDEX", "1")),
            ("MASTER_ADDR", "10.0.0.5"),
            ("MASTER_PORT", "29500"),
            ("RANK", "7"),
            ("WORLD_SIZE", "8"));

        Assert.Equal(("10.0.0.5", 29500, 7, 8), (env.MasterAddress, env.MasterPort, env.Rank, env.WorldSize));
    }

    [Theory]
    [InlineData("[fd00::1]:2222", "fd00::1", 2222)]
    [InlineData("fd00::1", "fd00::1", null)]
    [InlineData("host-only", "host-only", null)]
    public void Primary_addresses_are_split_into_host_and_port(string address, string host, int? port)
    {
        var env = Read(("CLUSTER_SPEC", $$$"""{"cluster":{"workerpool0":["{{{address}}}"]},"task":{"type":"workerpool0","index":0}}"""));

        Assert.Equal((host, port), (env.MasterAddress, env.MasterPort));
    }

    [Theory]
    [InlineData("RANK", "-1")]
    [InlineData("WORLD_SIZE", "two")]
    [InlineData("MASTER_PORT", "80x")]
    public void A_malformed_distributed_variable_names_itself(string variable, string value)
    {
        var e = Assert.Throws<TrainingEnvironmentException>(() => Read((variable, value)));

        Assert.Equal(variable, e.VariableName);
        Assert.StartsWith($"The environment variable {variable} must be a non-negative whole number (", e.Message);
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("45", 45)]
    [InlineData("2.5s", 2.5)]
    [InlineData("2m", 120)]
    [InlineData("00:01:30", 90)]
    public void The_stop_grace_period_is_Vertex_notice_unless_the_local_runner_sets_one(string? value, double seconds)
    {
        var env = value is null ? Read() : Read(("VERTEX_LOCAL_GRACE_PERIOD", value));

        Assert.Equal(TimeSpan.FromSeconds(seconds), env.StopGracePeriod);
    }

    [Fact]
    public void A_malformed_grace_period_names_the_variable()
    {
        var e = Assert.Throws<TrainingEnvironmentException>(() => Read(("VERTEX_LOCAL_GRACE_PERIOD", "soon")));

        Assert.Equal(
            "The environment variable VERTEX_LOCAL_GRACE_PERIOD must be a duration such as 30, 30s, 2m or 00:00:30 (the time between SIGTERM and the kill), found 'soon'.",
            e.Message);
    }
}

[Collection(ProcessEnvironmentCollection.Name)]
public class TrainingEnvironmentCurrentTests
{
    [Fact]
    public void Current_reads_the_process_environment()
    {
        using var scope = new EnvironmentScope()
            .Set("CLUSTER_SPEC", """{"cluster":{"workerpool0":["h:2222"]},"environment":"cloud","task":{"type":"workerpool0","index":0,"trial":"5"}}""")
            .Set("AIP_MODEL_DIR", "gs://b/m/")
            .Set("VERTEX_TRAINING_LOCAL", null);

        var env = TrainingEnvironment.Current;

        Assert.Equal("5", env.TrialId);
        Assert.Equal("/gcs/b/m/", env.ModelDirLocalPath);
        Assert.True(env.IsOnVertex);
    }
}
