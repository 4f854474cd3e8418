using VertexTraining.Core.Api;
using VertexTraining.Core.Local;
using VertexTraining.Runtime;

namespace VertexTraining.Local.Tests;

public sealed class ReplicaEnvironmentTests
{
    private static readonly RunFolder Folder = new("/runs/job-1");

    [Fact]
    public void A_trial_replica_gets_its_own_output_folders_metric_file_and_trial_id()
    {
        var layout = ClusterLayout.Create(JobDocs.Spec(JobDocs.Pool(1)));
        var variables = ReplicaEnvironment.Build(layout, layout.Replicas[0], new ReplicaRunContext("job-1", Folder, "3", PassGpus: false));

        Assert.Equal("/runs/job-1/trials/3/outputs/model/", variables["AIP_MODEL_DIR"]);
        Assert.Equal("/runs/job-1/trials/3/outputs/checkpoints/", variables["AIP_CHECKPOINT_DIR"]);
        Assert.Equal("/runs/job-1/trials/3/outputs/logs/", variables["AIP_TENSORBOARD_LOG_DIR"]);
        Assert.Equal("/runs/job-1/trials/3/metrics/workerpool0-0.metrics", variables["CLOUD_ML_HP_METRIC_FILE"]);
        Assert.Equal("3", variables["CLOUD_ML_TRIAL_ID"]);
        Assert.Equal("job-1", variables["CLOUD_ML_JOB_ID"]);
        Assert.Equal("1", variables["VERTEX_TRAINING_LOCAL"]);
        Assert.False(variables.ContainsKey("TF_CONFIG"));

        var environment = TrainingEnvironment.FromVariables(variables);
        Assert.Equal("3", environment.TrialId);
        Assert.Equal("/runs/job-1/trials/3/outputs/model/", environment.ModelDirLocalPath);
    }

    [Fact]
    public void A_custom_job_replica_gets_the_run_folders_outputs_and_no_trial()
    {
        var layout = ClusterLayout.Create(JobDocs.Spec(JobDocs.Pool(1), JobDocs.Pool(1)));
        var variables = ReplicaEnvironment.Build(layout, layout.Replicas[1], new ReplicaRunContext("job-1", Folder, null, PassGpus: false));

        Assert.Equal("/runs/job-1/outputs/model/", variables["AIP_MODEL_DIR"]);
        Assert.False(variables.ContainsKey("CLOUD_ML_TRIAL_ID"));
        Assert.Null(TrainingEnvironment.FromVariables(variables).TrialId);
        Assert.Equal("worker", TrainingEnvironment.FromVariables(variables).TfConfig!.TaskType);
    }

    [Fact]
    public void Requested_gpus_are_zeroed_unless_passed_through_so_the_gpu_check_passes_on_a_machine_without_gpus()
    {
        var layout = ClusterLayout.Create(JobDocs.Spec(JobDocs.Pool(1).WithGpu(2)));

        var withoutGpus = ReplicaEnvironment.Build(layout, layout.Replicas[0], new ReplicaRunContext("j", Folder, null, PassGpus: false));
        var withGpus = ReplicaEnvironment.Build(layout, layout.Replicas[0], new ReplicaRunContext("j", Folder, null, PassGpus: true));

        Assert.Equal("0", withoutGpus["VERTEX_ACCELERATOR_COUNT"]);
        Assert.Equal(0, TrainingEnvironment.FromVariables(withoutGpus).AcceleratorCount);
        GpuCheck.EnsureRequestedGpusVisible(TrainingEnvironment.FromVariables(withoutGpus));
        Assert.Equal("2", withGpus["VERTEX_ACCELERATOR_COUNT"]);
        Assert.Equal("NVIDIA_TESLA_T4", withGpus["VERTEX_ACCELERATOR_TYPE"]);
    }

    [Fact]
    public void The_jobs_env_is_expanded_but_cannot_replace_what_vertex_sets()
    {
        var pool = JobDocs.Pool(1)
            .WithEnv("DATA_ROOT", "/data")
            .WithEnv("TRAIN_FILE", "$(DATA_ROOT)/train.csv")
            .WithEnv("LITERAL", "$$(DATA_ROOT)")
            .WithEnv("UNKNOWN", "$(NOT_DEFINED)/x")
            .WithEnv("CLUSTER_SPEC", "{}")
            .WithEnv("AIP_MODEL_DIR", "gs://elsewhere/");
        var layout = ClusterLayout.Create(JobDocs.Spec(pool));

        var variables = ReplicaEnvironment.Build(layout, layout.Replicas[0], new ReplicaRunContext("j", Folder, null, PassGpus: false));

        Assert.Equal("/data/train.csv", variables["TRAIN_FILE"]);
        Assert.Equal("$(DATA_ROOT)", variables["LITERAL"]);
        Assert.Equal("$(NOT_DEFINED)/x", variables["UNKNOWN"]);
        Assert.NotEqual("{}", variables["CLUSTER_SPEC"]);
        Assert.Equal("/runs/job-1/outputs/model/", variables["AIP_MODEL_DIR"]);
    }

    [Fact]
    public void Env_expansion_sees_only_earlier_variables()
    {
        var expanded = EnvVarExpander.Expand(
        [
            new EnvVar { Name = "B", Value = "$(A)-b" },
            new EnvVar { Name = "A", Value = "a" },
            new EnvVar { Name = "C", Value = "$(A)$(B)" },
        ]);

        Assert.Equal("$(A)-b", expanded["B"]);
        Assert.Equal("a$(A)-b", expanded["C"]);
    }
}
