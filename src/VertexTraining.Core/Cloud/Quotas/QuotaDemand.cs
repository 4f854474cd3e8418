using System.Text.Json.Nodes;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Core.Cloud.Quotas;

/// <summary>How much of one quota metric a job asks for at once, and which pools ask.</summary>
/// <param name="Metric">The quota metric, e.g. <c>aiplatform.googleapis.com/custom_model_training_nvidia_l4_gpus</c>.</param>
/// <param name="Amount">CPUs or accelerators the job holds at once.</param>
/// <param name="Pools">Which pools ask, for messages: <c>workerpool0 (1 x g2-standard-8: 1 NVIDIA_L4)</c>.</param>
public sealed record QuotaNeed(string Metric, long Amount, string Pools);

/// <summary>
/// Works out, from the job document about to be posted, the custom-training quotas each pool needs in the
/// region: replicas x vCPUs of its machine for its family's CPU metric, replicas x accelerators for its
/// accelerator metric; pools on the same metric add up, and a tuning job runs parallelTrialCount trials at once.
/// </summary>
public static class QuotaDemand
{
    /// <summary>The needs of <paramref name="document"/>, one per metric.</summary>
    public static IReadOnlyList<QuotaNeed> Of(JsonObject document)
    {
        var tuning = document["trialJobSpec"] is JsonObject;
        var spec = (document["jobSpec"] ?? document["trialJobSpec"]) as JsonObject;
        if (spec?["workerPoolSpecs"] is not JsonArray pools)
        {
            return [];
        }

        var strategy = spec["scheduling"]?["strategy"]?.GetValue<string>();
        var preemptible = strategy is "SPOT" or "FLEX_START";
        var trials = tuning ? Math.Max(1, ProtoJson.Int64(document["parallelTrialCount"]) ?? 1) : 1;

        var needs = new List<(string Metric, long Amount, string Pool)>();
        for (var index = 0; index < pools.Count; index++)
        {
            if (pools[index] is not JsonObject pool || pool["machineSpec"] is not JsonObject machine || machine["machineType"]?.GetValue<string>() is not { } machineType)
            {
                continue;
            }

            if (machine["reservationAffinity"]?["reservationAffinityType"]?.GetValue<string>() is "ANY_RESERVATION" or "SPECIFIC_RESERVATION")
            {
                // A reservation's capacity is already the project's; Vertex does not draw on-demand quota for it.
                continue;
            }

            var replicas = ProtoJson.Int64(pool["replicaCount"]) ?? 1;
            var accelerator = machine["acceleratorType"]?.GetValue<string>();
            var acceleratorCount = ProtoJson.Int64(machine["acceleratorCount"]) ?? 0;
            var shape = $"workerpool{index} ({replicas} x {machineType}{(accelerator is null ? "" : $": {acceleratorCount} {accelerator}")}{(trials > 1 ? $", {trials} trials at once" : "")})";

            // Spot and FlexStart VMs draw on preemptible quota; which CPU metric they use is not documented, so only their GPUs are checked.
            if (!preemptible && TrainingQuotaMetrics.VirtualCpus(machineType) is { } cpus)
            {
                needs.Add((TrainingQuotaMetrics.ForCpus(machineType), trials * replicas * cpus, shape));
            }

            if (accelerator is not null && acceleratorCount > 0 && TrainingQuotaMetrics.ForAccelerator(accelerator, preemptible) is { } metric)
            {
                needs.Add((metric, trials * replicas * acceleratorCount, shape));
            }
        }

        return [.. needs.GroupBy(n => n.Metric, StringComparer.Ordinal)
            .Select(g => new QuotaNeed(g.Key, g.Sum(n => n.Amount), string.Join(", ", g.Select(n => n.Pool).Distinct())))];
    }
}
