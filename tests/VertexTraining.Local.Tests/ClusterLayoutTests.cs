using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;
using VertexTraining.Runtime;

namespace VertexTraining.Local.Tests;

public sealed class ClusterLayoutTests
{
    [Fact]
    public void Every_replica_gets_its_own_free_loopback_address_and_the_primary_comes_first()
    {
        var layout = ClusterLayout.Create(JobDocs.Spec(JobDocs.Pool(1), JobDocs.Pool(2), JobDocs.Pool(1), JobDocs.Pool(1)));

        Assert.Equal(["workerpool0-0", "workerpool1-0", "workerpool1-1", "workerpool2-0", "workerpool3-0"], layout.Replicas.Select(r => r.TaskName));
        Assert.True(layout.Replicas[0].IsPrimary);
        Assert.Equal(layout.Replicas.Count, layout.Replicas.Select(r => r.Address).Distinct().Count());
        foreach (var replica in layout.Replicas)
        {
            // Free means a replica can really listen there.
            var endpoint = IPEndPoint.Parse(replica.Address);
            Assert.Equal(IPAddress.Loopback, endpoint.Address);
            using var listener = new TcpListener(endpoint);
            listener.Start();
        }
    }

    [Fact]
    public void Cluster_spec_lists_every_pool_and_names_the_replica_and_trial_as_the_runtime_reads_it()
    {
        var layout = ClusterLayout.Create(JobDocs.Spec(JobDocs.Pool(1), JobDocs.Pool(2), new WorkerPoolSpec(), JobDocs.Pool(1)), Ports(7000));
        var worker = layout.Replicas.Single(r => r.TaskName == "workerpool1-1");

        var environment = TrainingEnvironment.FromVariables(new Dictionary<string, string>
        {
            ["CLUSTER_SPEC"] = layout.ClusterSpecFor(worker, "7"),
            ["TF_CONFIG"] = layout.TfConfigFor(worker, "7")!,
        });

        Assert.Equal("workerpool1", environment.TaskType);
        Assert.Equal(1, environment.TaskIndex);
        Assert.Equal("7", environment.TrialId);
        Assert.Equal(2, environment.Rank);
        Assert.Equal(3, environment.WorldSize);
        Assert.True(environment.IsLocal);
        Assert.Equal("127.0.0.1:7000", environment.PrimaryAddress);
        Assert.Equal(["127.0.0.1:7001", "127.0.0.1:7002"], environment.Pools["workerpool1"]);
        // The skipped pool {} is absent, the evaluators' pool present.
        Assert.Equal(["workerpool0", "workerpool1", "workerpool3"], environment.Pools.Keys.Order());
        using var spec = JsonDocument.Parse(layout.ClusterSpecFor(worker, "7"));
        Assert.Equal("n1-standard-4", spec.RootElement.GetProperty("job").GetProperty("workerPoolSpecs")[0].GetProperty("machineSpec").GetProperty("machineType").GetString());
    }

    [Fact]
    public void Tf_config_uses_tensorflow_roles_and_leaves_evaluators_out_of_the_cluster()
    {
        var layout = ClusterLayout.Create(JobDocs.Spec(JobDocs.Pool(1), JobDocs.Pool(1), JobDocs.Pool(1), JobDocs.Pool(1)), Ports(9000));
        var evaluator = layout.Replicas.Single(r => r.PoolIndex == 3);

        using var tf = JsonDocument.Parse(layout.TfConfigFor(evaluator, null)!);
        var cluster = tf.RootElement.GetProperty("cluster");
        Assert.Equal(["chief", "ps", "worker"], cluster.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("evaluator", tf.RootElement.GetProperty("task").GetProperty("type").GetString());
        Assert.False(tf.RootElement.GetProperty("task").TryGetProperty("trial", out _));
    }

    [Fact]
    public void A_single_replica_job_gets_no_tf_config_as_on_vertex()
    {
        var layout = ClusterLayout.Create(JobDocs.Spec(JobDocs.Pool(1)));

        Assert.False(layout.IsDistributed);
        Assert.Null(layout.TfConfigFor(layout.Replicas[0], "1"));
    }

    [Fact]
    public void A_job_without_a_primary_pool_is_refused_with_a_code()
    {
        var error = Assert.Throws<LocalRunException>(() => ClusterLayout.Create(JobDocs.Spec(new WorkerPoolSpec(), JobDocs.Pool(2))));

        Assert.Equal(DiagnosticCodes.LocalUnsupportedDocument, error.Code);
        Assert.True(error.IsConfigurationError);
    }

    private static Func<int, IReadOnlyList<int>> Ports(int first) => count => [.. Enumerable.Range(first, count)];
}
