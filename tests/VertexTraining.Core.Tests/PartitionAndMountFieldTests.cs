using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Tests;

/// <summary>VertexGpuPartitionSize, VertexTpuTopology and VertexNfsMount items, field by field, and their invalid values.</summary>
public sealed class PartitionAndMountFieldTests
{
    private static JsonNode Pool(JsonObject document, int index) => document["jobSpec"]!["workerPoolSpecs"]![index]!;

    [Fact]
    public void A_mig_partition_goes_to_the_machine_spec_of_every_pool_of_the_default_shape()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline()
            .Set(VertexProperty.MachineType, "a2-highgpu-1g").Set(VertexProperty.AcceleratorType, "NVIDIA_TESLA_A100")
            .Set(VertexProperty.GpuPartitionSize, "1g.5gb").Set(VertexProperty.ReplicaCount, "2"));

        Assert.Equal("1g.5gb", Pool(document, 0)["machineSpec"]!["gpuPartitionSize"]!.GetValue<string>());
        Assert.Equal("1g.5gb", Pool(document, 1)["machineSpec"]!["gpuPartitionSize"]!.GetValue<string>());
    }

    [Fact]
    public void A_tpu_topology_is_per_pool_metadata_or_the_property()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline()
            .Add(VertexItem.WorkerPool, "Primary", ("MachineType", "ct5lp-hightpu-4t"), ("TpuTopology", "2x2")));

        Assert.Equal("2x2", Pool(document, 0)["machineSpec"]!["tpuTopology"]!.GetValue<string>());
        Assert.Null(Pool(document, 0)["machineSpec"]!["gpuPartitionSize"]);
    }

    [Fact]
    public void Nfs_mounts_go_to_every_pool_with_server_path_and_mount_point()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.ReplicaCount, "3")
            .Add(VertexItem.NfsMount, "datasets", ("Server", "10.0.0.2"), ("Path", "/exports/data"))
            .Add(VertexItem.NfsMount, "scratch", ("Server", "filer.internal"), ("Path", "/scratch")));

        var expected = JsonNode.Parse("""[{"server":"10.0.0.2","path":"/exports/data","mountPoint":"datasets"},{"server":"filer.internal","path":"/scratch","mountPoint":"scratch"}]""");
        Assert.True(JsonNode.DeepEquals(expected, Pool(document, 0)["nfsMounts"]));
        Assert.True(JsonNode.DeepEquals(expected, Pool(document, 1)["nfsMounts"]));
    }

    [Fact]
    public void Without_them_the_document_has_none_of_their_fields()
    {
        var pool = (JsonObject)Pool(JobFixtures.BuildJson(JobFixtures.Baseline()), 0);

        Assert.False(pool.ContainsKey("nfsMounts"));
        Assert.False(((JsonObject)pool["machineSpec"]!).ContainsKey("gpuPartitionSize") || ((JsonObject)pool["machineSpec"]!).ContainsKey("tpuTopology"));
    }

    public static TheoryData<string, Func<JobInputs, JobInputs>, string, string> InvalidValues() => new()
    {
        { "not a MIG profile", i => i.Set(VertexProperty.MachineType, "a2-highgpu-1g").Set(VertexProperty.AcceleratorType, "NVIDIA_TESLA_A100").Set(VertexProperty.GpuPartitionSize, "half"),
            DiagnosticCodes.InvalidGpuPartitionSize, "it must be a MIG profile such as 1g.10gb" },
        { "a partition without a GPU", i => i.Set(VertexProperty.GpuPartitionSize, "1g.10gb"),
            DiagnosticCodes.InvalidGpuPartitionSize, "partitions one NVIDIA GPU" },
        { "a topology that is not AxB", i => i.Set(VertexProperty.MachineType, "ct5lp-hightpu-4t").Set(VertexProperty.TpuTopology, "four"),
            DiagnosticCodes.InvalidTpuTopology, "such as 2x2, 4x4 or 2x2x1" },
        { "a topology on a GPU machine", i => i.Set(VertexProperty.TpuTopology, "2x2"),
            DiagnosticCodes.InvalidTpuTopology, "applies to TPU machine types" },
        { "an NFS mount without a path", i => i.Add(VertexItem.NfsMount, "data", ("Server", "10.0.0.2")),
            DiagnosticCodes.InvalidNfsMount, "needs Server (the NFS server's IP address or host name) and Path" },
        { "an NFS mount point with a slash", i => i.Add(VertexItem.NfsMount, "a/b", ("Server", "10.0.0.2"), ("Path", "/x")),
            DiagnosticCodes.InvalidNfsMount, "the folder under /mnt/nfs/" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Invalid_values_are_coded_errors_that_say_what_is_valid(string description, Func<JobInputs, JobInputs> breakIt, string code, string message)
    {
        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(breakIt(JobFixtures.Baseline())));

        Assert.True(diagnostic.Code == code, description);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }
}
