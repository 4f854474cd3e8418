using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Tests;

/// <summary><c>VertexEnvironmentVariable</c> with <c>WorkerPool</c> metadata: that pool's containerSpec.env only.</summary>
public sealed class PoolEnvironmentTests
{
    private static JobInputs TwoPools() => JobFixtures.Baseline()
        .Add(VertexItem.WorkerPool, "Primary")
        .Add(VertexItem.WorkerPool, "Workers", ("ReplicaCount", "2"))
        .Add(VertexItem.EnvironmentVariable, "DATA_URI", ("Value", "gs://bucket/data"))
        .Add(VertexItem.EnvironmentVariable, "ROLE_HINT", ("Value", "chief"), ("WorkerPool", "Primary"))
        .Add(VertexItem.EnvironmentVariable, "DATA_URI", ("Value", "gs://bucket/shard"), ("WorkerPool", "workers"));

    private static Dictionary<string, string> Env(JsonObject document, int pool) =>
        ((JsonArray?)document["jobSpec"]!["workerPoolSpecs"]![pool]!["containerSpec"]!["env"] ?? [])
            .ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);

    [Fact]
    public void A_pool_variable_reaches_its_pool_only_and_overrides_the_shared_one_there()
    {
        var document = JobFixtures.BuildJson(TwoPools());

        Assert.Equal(new Dictionary<string, string> { ["DATA_URI"] = "gs://bucket/data", ["ROLE_HINT"] = "chief" }, Env(document, 0));
        Assert.Equal(new Dictionary<string, string> { ["DATA_URI"] = "gs://bucket/shard" }, Env(document, 1));
    }

    [Theory]
    [InlineData("Chief", "which is not a pool name; valid values are the job's pools: Primary, Workers.")]
    [InlineData("Evaluators", "a pool this job does not run; valid values are the job's pools: Primary, Workers.")]
    public void A_pool_the_job_does_not_run_is_VTX1178(string pool, string message)
    {
        var inputs = TwoPools().Add(VertexItem.EnvironmentVariable, "EXTRA", ("Value", "1"), ("WorkerPool", pool));

        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(inputs));

        Assert.Equal((DiagnosticCodes.InvalidEnvironmentVariablePool, "VertexEnvironmentVariable 'EXTRA' WorkerPool"), (diagnostic.Code, diagnostic.Subject));
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_shape_has_a_workers_pool_only_with_more_than_one_replica()
    {
        var one = JobFixtures.Baseline().Add(VertexItem.EnvironmentVariable, "X", ("Value", "1"), ("WorkerPool", "Workers"));
        Assert.Equal(DiagnosticCodes.InvalidEnvironmentVariablePool, Assert.Single(JobDocumentBuilder.Validate(one)).Code);

        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.ReplicaCount, "3")
            .Add(VertexItem.EnvironmentVariable, "X", ("Value", "1"), ("WorkerPool", "Workers")));
        Assert.False(Env(document, 0).ContainsKey("X"));
        Assert.Equal("1", Env(document, 1)["X"]);
    }

    [Fact]
    public void The_same_variable_twice_for_one_pool_is_a_duplicate()
    {
        var inputs = TwoPools().Add(VertexItem.EnvironmentVariable, "ROLE_HINT", ("Value", "again"), ("WorkerPool", "Primary"));

        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(inputs));

        Assert.Equal(DiagnosticCodes.DuplicateEnvironmentVariable, diagnostic.Code);
        Assert.Contains("declared twice for WorkerPool Primary", diagnostic.Message, StringComparison.Ordinal);
    }
}
