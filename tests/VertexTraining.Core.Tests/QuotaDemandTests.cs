using System.Text.Json.Nodes;
using VertexTraining.Core.Cloud.Quotas;
using VertexTraining.Core.Configuration;

namespace VertexTraining.Core.Tests;

/// <summary>What a job document asks of each custom-training quota, from the mapping's own documents.</summary>
public sealed class QuotaDemandTests
{
    private const string Prefix = "aiplatform.googleapis.com/custom_model_training_";

    [Theory]
    [InlineData("n1-standard-4", 4, "cpus")]
    [InlineData("n1-highmem-96", 96, "cpus")]
    [InlineData("e2-standard-8", 8, "cpus")]
    [InlineData("n2-standard-32", 32, "n2_cpus")]
    [InlineData("g2-standard-24", 24, "g2_cpus")]
    [InlineData("a2-highgpu-1g", 12, "a2_cpus")]
    [InlineData("a2-megagpu-16g", 96, "a2_cpus")]
    [InlineData("a3-highgpu-8g", 208, "a3_cpus")]
    [InlineData("a3-ultragpu-8g", 224, "a3_cpus")]
    [InlineData("a4-highgpu-8g", 224, "a4_cpus")]
    public void Machine_types_count_their_vcpus_against_their_familys_cpu_quota(string machineType, int vcpus, string metric)
    {
        Assert.Equal(vcpus, TrainingQuotaMetrics.VirtualCpus(machineType));
        Assert.Equal(Prefix + metric, TrainingQuotaMetrics.ForCpus(machineType));
    }

    [Theory]
    [InlineData("e2-medium")]
    [InlineData("cloud-tpu")]
    [InlineData("ct5lp-hightpu-4t")]
    public void Machine_types_whose_name_does_not_say_their_vcpus_are_not_counted(string machineType) =>
        Assert.Null(TrainingQuotaMetrics.VirtualCpus(machineType));

    [Fact]
    public void A_single_gpu_job_needs_its_cpus_and_gpus()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.AcceleratorType, "NVIDIA_TESLA_T4").Set(VertexProperty.AcceleratorCount, "2"));

        var needs = QuotaDemand.Of(document);

        Assert.Equal([(Prefix + "cpus", 4L), (Prefix + "nvidia_t4_gpus", 2L)], needs.Select(n => (n.Metric, n.Amount)));
    }

    [Fact]
    public void A_tuning_job_needs_its_parallel_trials_at_once()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().WithTuning()
            .Set(VertexProperty.MachineType, "g2-standard-8").Set(VertexProperty.AcceleratorType, "NVIDIA_L4")
            .Set(VertexProperty.ParallelTrialCount, "3"));

        var needs = QuotaDemand.Of(document);

        Assert.Equal([(Prefix + "g2_cpus", 24L), (Prefix + "nvidia_l4_gpus", 3L)], needs.Select(n => (n.Metric, n.Amount)));
        Assert.Contains("3 trials at once", needs[0].Pools, StringComparison.Ordinal);
    }

    [Fact]
    public void Flex_start_jobs_draw_on_preemptible_gpu_quota_only()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.AcceleratorType, "NVIDIA_TESLA_T4").Set(VertexProperty.SchedulingStrategy, "FlexStart"));

        var need = Assert.Single(QuotaDemand.Of(document));

        Assert.Equal((Prefix + "preemptible_nvidia_t4_gpus", 1L), (need.Metric, need.Amount));
    }

    [Fact]
    public void Pools_that_run_on_a_reservation_draw_no_on_demand_quota()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.AcceleratorType, "NVIDIA_TESLA_T4"));
        ((JsonObject)document["jobSpec"]!["workerPoolSpecs"]![0]!["machineSpec"]!)["reservationAffinity"] = new JsonObject { ["reservationAffinityType"] = "ANY_RESERVATION" };

        Assert.Empty(QuotaDemand.Of(document));
    }
}
