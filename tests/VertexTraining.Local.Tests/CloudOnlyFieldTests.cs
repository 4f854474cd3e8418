using VertexTraining.Core.Api;

namespace VertexTraining.Local.Tests;

/// <summary>A local run of a job that sets cloud-only fields (experiments, PSC, reservations, partitions, protected artifact location) runs and names each as not honoured here.</summary>
[Collection(LocalRunCollection.Name)]
public sealed class CloudOnlyFieldTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _temp = new("cloud-only");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Experiments_psc_reservations_partitions_and_protected_artifacts_are_named_as_not_honoured_and_the_job_runs()
    {
        var emptyPath = _temp.Combine("empty-path");
        Directory.CreateDirectory(emptyPath);
        var cli = new Cli(_temp.Combine("index"), emptyPath);
        var pool = JobDocs.Pool(1, "--probe=info");
        pool.MachineSpec!.ReservationAffinity = new ReservationAffinity { ReservationAffinityType = "ANY_RESERVATION" };
        pool.MachineSpec.GpuPartitionSize = "1g.10gb";
        var spec = JobDocs.Spec(pool);
        spec.Experiment = "projects/p/locations/us-central1/metadataStores/default/contexts/moons";
        spec.ExperimentRun = spec.Experiment + "-r1";
        spec.PscInterfaceConfig = new PscInterfaceConfig { NetworkAttachment = "my-attachment" };
        spec.ProtectedArtifactLocationId = "europe-west4";
        var request = JobDocs.Custom(spec).Save(_temp.Path);

        var result = await cli.RunAsync(RunTimeout, "local-run", "--request", request, "--app", await ProbeApp.AppAsync(), "--image-archive", _temp.Combine("image.tar.gz"));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("not recorded locally: experiment projects/p/locations/us-central1/metadataStores/default/contexts/moons, run projects/p/locations/us-central1/metadataStores/default/contexts/moons-r1", result.Output);
        Assert.Contains("not attached locally: PSC network attachment my-attachment", result.Output);
        Assert.Contains("no reservation locally: workerpool0 ANY_RESERVATION", result.Output);
        Assert.Contains("not kept in another region locally: protected artifact location europe-west4", result.Output);
        Assert.Contains("not applied locally: GPU partition size and TPU topology", result.Output);
    }
}
