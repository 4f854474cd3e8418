using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Tests;

/// <summary>VertexLustreMount items, VertexProtectedArtifactLocation and the TPU v4 pod / v5 litepod accelerator types, field by field, and their invalid values.</summary>
public sealed class LustreLocationAndTpuFieldTests
{
    private static JsonObject Pool(JsonObject document, int index) => (JsonObject)JobFixtures.Pools(document)[index]!;

    [Fact]
    public void Lustre_mounts_go_to_every_pool_with_instance_ip_volume_handle_filesystem_and_mount_point()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.ReplicaCount, "2")
            .Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "10.90.0.4"), ("VolumeHandle", "my-project/us-central1-a/lustre1"), ("Filesystem", "lfs"), ("LocalPath", "data"))
            .Add(VertexItem.LustreMount, "ckpt", ("InstanceIp", " 10.90.0.5 "), ("VolumeHandle", "vh-2"), ("Filesystem", "ckpt01")));

        foreach (var index in new[] { 0, 1 })
        {
            var mounts = Pool(document, index)["lustreMounts"]!.AsArray();
            Assert.Equal(2, mounts.Count);
            // Exactly the four API fields: LocalPath is for local runs and never reaches the document.
            Assert.Equal(["instanceIp", "volumeHandle", "filesystem", "mountPoint"], mounts[0]!.AsObject().Select(p => p.Key));
            JobFixtures.AssertString("10.90.0.4", mounts[0]!["instanceIp"]);
            JobFixtures.AssertString("my-project/us-central1-a/lustre1", mounts[0]!["volumeHandle"]);
            JobFixtures.AssertString("lfs", mounts[0]!["filesystem"]);
            JobFixtures.AssertString("scratch", mounts[0]!["mountPoint"]);
            JobFixtures.AssertString("10.90.0.5", mounts[1]!["instanceIp"]);
            JobFixtures.AssertString("vh-2", mounts[1]!["volumeHandle"]);
            JobFixtures.AssertString("ckpt01", mounts[1]!["filesystem"]);
            JobFixtures.AssertString("ckpt", mounts[1]!["mountPoint"]);
            Assert.False(Pool(document, index).ContainsKey("nfsMounts"));
        }
    }

    [Fact]
    public void An_nfs_mount_with_a_local_path_sends_only_the_api_fields()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline()
            .Add(VertexItem.NfsMount, "datasets", ("Server", "10.0.0.2"), ("Path", "/exports/data"), ("LocalPath", "../data")));

        JobFixtures.AssertJsonEqual("""[{"server":"10.0.0.2","path":"/exports/data","mountPoint":"datasets"}]""", Pool(document, 0)["nfsMounts"]);
    }

    [Fact]
    public void A_protected_artifact_location_in_another_region_goes_to_the_job_spec()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.Region, "us-central1").Set(VertexProperty.ProtectedArtifactLocation, "europe-west4"));

        JobFixtures.AssertString("europe-west4", document["jobSpec"]!["protectedArtifactLocationId"]);
        Assert.False(JobFixtures.BuildJson(JobFixtures.Baseline())["jobSpec"]!.AsObject().ContainsKey("protectedArtifactLocationId"));
    }

    [Fact]
    public void A_protected_artifact_location_in_a_tuning_job_goes_to_the_trial_job_spec()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().WithTuning().Set(VertexProperty.ProtectedArtifactLocation, "asia-northeast1"));

        JobFixtures.AssertString("asia-northeast1", document["trialJobSpec"]!["protectedArtifactLocationId"]);
    }

    [Theory]
    [InlineData(null)] // the default region, us-central1
    [InlineData("europe-west4")]
    public void The_jobs_own_region_as_protected_artifact_location_is_left_out_with_a_warning(string? region)
    {
        var inputs = JobFixtures.Baseline().Set(VertexProperty.ProtectedArtifactLocation, region ?? "us-central1");
        if (region is not null)
        {
            inputs.Set(VertexProperty.Region, region);
        }

        var result = JobDocumentBuilder.Build(inputs, JobFixtures.Image);

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics);
        Assert.True(warning.IsWarning);
        Assert.Equal(DiagnosticCodes.ProtectedArtifactLocationIsJobRegion, warning.Code);
        Assert.Equal($"VertexProtectedArtifactLocation is {region ?? "us-central1"}, the job's own region (VertexRegion), where its artifacts are kept anyway; it is left out of the job document. Set it only to keep artifacts in another region.", warning.Message);
        Assert.DoesNotContain("protectedArtifactLocationId", result.Document!.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TPU_V4_POD", "cloud-tpu", "8", "2x2x1")]
    [InlineData("TPU_V4_POD", "cloud-tpu", "32", "2x2x4")]
    [InlineData("TPU_V5_LITEPOD", "ct5lp-hightpu-4t", null, "2x2")]
    [InlineData("TPU_V5_LITEPOD", "ct5lp-hightpu-8t", "8", "2x4")]
    [InlineData("TPU_V5_LITEPOD", "ct5lp-hightpu-1t", null, null)]
    public void The_tpu_v4_pod_and_v5_litepod_types_map_with_their_machine_count_and_topology(string accelerator, string machine, string? count, string? topology)
    {
        var inputs = JobFixtures.Baseline().Set(VertexProperty.MachineType, machine).Set(VertexProperty.AcceleratorType, accelerator);
        if (count is not null)
        {
            inputs.Set(VertexProperty.AcceleratorCount, count);
        }

        if (topology is not null)
        {
            inputs.Set(VertexProperty.TpuTopology, topology);
        }

        var spec = Pool(JobFixtures.BuildJson(inputs), 0)["machineSpec"]!.AsObject();

        JobFixtures.AssertString(machine, spec["machineType"]);
        JobFixtures.AssertString(accelerator, spec["acceleratorType"]);
        // A v5e host's chips are fixed by its name: ct5lp-hightpu-4t has 4.
        JobFixtures.AssertNumber(count is null ? int.Parse(machine[^2..^1], System.Globalization.CultureInfo.InvariantCulture) : int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), spec["acceleratorCount"]);
        if (topology is null)
        {
            Assert.False(spec.ContainsKey("tpuTopology"));
        }
        else
        {
            JobFixtures.AssertString(topology, spec["tpuTopology"]);
        }
    }

    public static TheoryData<string, Func<JobInputs, JobInputs>, string, string, string> InvalidValues() => new()
    {
        { "a Lustre IP that is a host name", i => i.Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "lustre.internal"), ("VolumeHandle", "vh"), ("Filesystem", "lfs")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'scratch'", "VertexLustreMount 'scratch' InstanceIp is 'lustre.internal'; it must be the Lustre instance's IPv4 address, such as 10.90.0.4." },
        { "a Lustre IP that is IPv6", i => i.Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "fd00::4"), ("VolumeHandle", "vh"), ("Filesystem", "lfs")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'scratch'", "InstanceIp is 'fd00::4'; it must be the Lustre instance's IPv4 address" },
        { "a Lustre IP of three parts", i => i.Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "10.90.4"), ("VolumeHandle", "vh"), ("Filesystem", "lfs")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'scratch'", "InstanceIp is '10.90.4'" },
        { "a Lustre mount without InstanceIp", i => i.Add(VertexItem.LustreMount, "scratch", ("VolumeHandle", "vh"), ("Filesystem", "lfs")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'scratch'", "InstanceIp is ''" },
        { "a Lustre mount without VolumeHandle", i => i.Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "10.90.0.4"), ("Filesystem", "lfs")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'scratch'", "VertexLustreMount 'scratch' needs VolumeHandle, the instance's volume handle" },
        { "a Lustre filesystem name too long", i => i.Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "10.90.0.4"), ("VolumeHandle", "vh"), ("Filesystem", "filesystem1")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'scratch'", "Filesystem is 'filesystem1'; it must be the instance's file system name: 1-8 lowercase letters or digits, a letter first." },
        { "a Lustre mount without Filesystem", i => i.Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "10.90.0.4"), ("VolumeHandle", "vh")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'scratch'", "Filesystem is ''" },
        { "a Lustre mount point with a slash", i => i.Add(VertexItem.LustreMount, "a/b", ("InstanceIp", "10.90.0.4"), ("VolumeHandle", "vh"), ("Filesystem", "lfs")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'a/b'", "VertexLustreMount 'a/b': the Include is the folder under /mnt/lustre/ to mount at, one name of letters, digits, '.', '_' or '-'." },
        { "a Lustre mount point twice", i => i
                .Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "10.90.0.4"), ("VolumeHandle", "vh"), ("Filesystem", "lfs"))
                .Add(VertexItem.LustreMount, "scratch", ("InstanceIp", "10.90.0.5"), ("VolumeHandle", "vh2"), ("Filesystem", "lfs")),
            DiagnosticCodes.InvalidLustreMount, "VertexLustreMount 'scratch'", "VertexLustreMount 'scratch' is declared twice; each mount point takes one share." },
        { "a protected artifact location that is a zone", i => i.Set(VertexProperty.ProtectedArtifactLocation, "europe-west4-a"),
            DiagnosticCodes.InvalidProtectedArtifactLocation, "VertexProtectedArtifactLocation",
            "VertexProtectedArtifactLocation is 'europe-west4-a'; expected a Vertex AI region id such as europe-west4 or us-east1 (not a zone like us-east1-b, nor a resource name)." },
        { "a protected artifact location that is a resource name", i => i.Set(VertexProperty.ProtectedArtifactLocation, "projects/p/locations/europe-west4"),
            DiagnosticCodes.InvalidProtectedArtifactLocation, "VertexProtectedArtifactLocation", "is 'projects/p/locations/europe-west4'; expected a Vertex AI region id" },
        { "a v4 pod on a GPU machine", i => i.Set(VertexProperty.AcceleratorType, "TPU_V4_POD"),
            DiagnosticCodes.AcceleratorNotOnMachineType, "VertexAcceleratorType", "VertexAcceleratorType TPU_V4_POD cannot be attached to machine type 'n1-standard-4'; it fits cloud-tpu." },
        { "a v5 litepod on cloud-tpu", i => i.Set(VertexProperty.MachineType, "cloud-tpu").Set(VertexProperty.AcceleratorType, "TPU_V5_LITEPOD"),
            DiagnosticCodes.AcceleratorNotOnMachineType, "VertexAcceleratorType", "it fits ct5lp-hightpu-1t, ct5lp-hightpu-4t, ct5lp-hightpu-8t." },
        { "a v5 litepod host with the wrong chip count", i => i.Set(VertexProperty.MachineType, "ct5lp-hightpu-4t").Set(VertexProperty.AcceleratorType, "TPU_V5_LITEPOD").Set(VertexProperty.AcceleratorCount, "8"),
            DiagnosticCodes.InvalidAcceleratorCount, "VertexAcceleratorCount", "VertexAcceleratorCount is 8; TPU_V5_LITEPOD on ct5lp-hightpu-4t takes 4." },
        { "a v4 pod count that is no slice", i => i.Set(VertexProperty.MachineType, "cloud-tpu").Set(VertexProperty.AcceleratorType, "TPU_V4_POD").Set(VertexProperty.AcceleratorCount, "12"),
            DiagnosticCodes.InvalidAcceleratorCount, "VertexAcceleratorCount", "VertexAcceleratorCount is 12; TPU_V4_POD on cloud-tpu takes 8, 16, 32" },
        { "a 2-D topology on a v4 pod", i => i.Set(VertexProperty.MachineType, "cloud-tpu").Set(VertexProperty.AcceleratorType, "TPU_V4_POD").Set(VertexProperty.AcceleratorCount, "8").Set(VertexProperty.TpuTopology, "2x2"),
            DiagnosticCodes.InvalidTpuTopology, "VertexTpuTopology", "VertexTpuTopology is '2x2'; TPU v4 chips form a 3-D slice, so give 3 dimensions, such as 2x2x1 or 2x2x2." },
        { "a 3-D topology on a v5e host", i => i.Set(VertexProperty.MachineType, "ct5lp-hightpu-4t").Set(VertexProperty.TpuTopology, "2x2x1"),
            DiagnosticCodes.InvalidTpuTopology, "VertexTpuTopology", "VertexTpuTopology is '2x2x1'; TPU v5e chips form a 2-D slice, so give 2 dimensions, such as 2x2 or 4x4." },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Invalid_values_are_coded_errors_that_name_the_item_or_property_and_say_what_is_valid(string description, Func<JobInputs, JobInputs> breakIt, string code, string subject, string message)
    {
        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(breakIt(JobFixtures.Baseline())));

        Assert.True(diagnostic.Code == code, $"{description}: {diagnostic}");
        Assert.False(diagnostic.IsWarning);
        Assert.Equal(subject, diagnostic.Subject);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v4_pod_topology_works_on_a_pool_too()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline()
            .Add(VertexItem.WorkerPool, "Primary", ("MachineType", "cloud-tpu"), ("AcceleratorType", "TPU_V4_POD"), ("AcceleratorCount", "16"), ("TpuTopology", "2x2x2")));

        JobFixtures.AssertJsonEqual("""{ "machineType": "cloud-tpu", "acceleratorType": "TPU_V4_POD", "acceleratorCount": 16, "tpuTopology": "2x2x2" }""", Pool(document, 0)["machineSpec"]);
    }
}
