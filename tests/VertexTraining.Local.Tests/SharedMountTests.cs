using VertexTraining.Core.Api;
using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

/// <summary>
/// A job's NFS and Lustre shares in local runs: in container mode a local folder is bind-mounted where Vertex AI mounts
/// the share (/mnt/nfs/&lt;mountPoint&gt;, /mnt/lustre/&lt;mountPoint&gt;); process mode refuses them.
/// </summary>
[Collection(LocalRunCollection.Name)]
public sealed class SharedMountTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly TempDirectory _temp = new("mounts");
    private readonly Cli _cli;

    public SharedMountTests()
    {
        _cli = new Cli(_temp.Combine("index"));
    }

    public void Dispose() => _temp.Dispose();

    private static WorkerPoolSpec WithShares(WorkerPoolSpec pool)
    {
        pool.NfsMounts = [new NfsMount { Server = "10.0.0.2", Path = "/exports/data", MountPoint = "datasets" }];
        pool.LustreMounts = [new LustreMount { InstanceIp = "10.90.0.4", VolumeHandle = "my-project/us-central1-a/lustre1", Filesystem = "lfs", MountPoint = "scratch" }];
        return pool;
    }

    [PodmanFact]
    public async Task Container_replicas_read_and_write_the_local_folders_mounted_where_vertex_mounts_the_shares()
    {
        TestEnvironment.AssertPodmanReady();
        var archive = await ProbeApp.ImageArchiveAsync();
        // The user's folder, as a user prepares it: the data in it, writable by the image's non-root user.
        var data = _temp.Combine("my data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, (UnixFileMode)0b111_111_111);
        File.WriteAllText(Path.Combine(data, "in.txt"), "rows from the test\n");
        var request = JobDocs.Custom(JobDocs.Spec(
            WithShares(JobDocs.Pool(1, "--probe=files", "--read=/mnt/nfs/datasets/in.txt", "--write=/mnt/nfs/datasets/out.txt")),
            WithShares(JobDocs.Pool(1, "--probe=files", "--read=/mnt/nfs/datasets/in.txt", "--write=/mnt/lustre/scratch/worker.txt")))).Save(_temp.Path);

        var result = await _cli.RunAsync(RunTimeout, "local-run", "--request", request, "--image-archive", archive, "--mode", "container",
            "--mount", $"/mnt/nfs/datasets={data}");

        Assert.True(result.ExitCode == 0, result.All);
        var job = RunAssertions.Job(_cli, result.Output);
        var runShare = Path.Combine(job.Record.Folder.Root, "mnt", "lustre", "scratch");
        Assert.Contains($"VertexTraining: NFS 10.0.0.2:/exports/data at /mnt/nfs/datasets: bind mount of {data}\n", result.Output);
        Assert.Contains($"VertexTraining: Lustre 10.90.0.4:/lfs (my-project/us-central1-a/lustre1) at /mnt/lustre/scratch: bind mount of {runShare}, a folder of the run", result.Output);
        Assert.DoesNotContain("not mounted locally", result.Output);
        Assert.Contains("[workerpool0-0] probe read /mnt/nfs/datasets/in.txt: rows from the test", result.Output);
        Assert.Contains("[workerpool1-0] probe read /mnt/nfs/datasets/in.txt: rows from the test", result.Output);

        // What the replicas wrote on the shares is in the local folders, written by the image's user 1000.
        var written = Path.Combine(data, "out.txt");
        Assert.Equal("written by workerpool0-0\n", File.ReadAllText(written));
        Assert.Equal("1000", (await Commands.RunAsync("stat", ["-c", "%u", written], TimeSpan.FromSeconds(10))).Output.Trim());
        Assert.Equal("written by workerpool1-0\n", File.ReadAllText(Path.Combine(runShare, "worker.txt")));
        Assert.Equal("rows from the test\n", File.ReadAllText(Path.Combine(data, "in.txt")));
        Assert.Empty(await Leftovers.ContainersOf(job.Record.Id));
    }

    [Fact]
    public async Task Process_mode_refuses_a_job_with_shares_naming_each_and_the_ways_out()
    {
        var request = JobDocs.Custom(JobDocs.Spec(WithShares(JobDocs.Pool(1, "--probe=info")))).Save(_temp.Path);

        var result = await _cli.RunAsync(RunTimeout, "local-run", "--request", request, "--mode", "process", "--app", _temp.Combine("never-started"));

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains("error VTX5070: The job mounts NFS 10.0.0.2:/exports/data at /mnt/nfs/datasets, Lustre 10.90.0.4:/lfs (my-project/us-central1-a/lustre1) at /mnt/lustre/scratch", result.All);
        Assert.Contains("run it in container mode (VertexLocalMode=container, or local-run --mode container, with podman or docker)", result.All);
        Assert.Contains("or remove the mount", result.All);
        Assert.Equal(LocalJobStates.Failed, RunAssertions.Job(_cli, result.Output).State);
    }

    [Theory]
    [InlineData("/mnt/nfs/elsewhere=/tmp", "A local folder is given for /mnt/nfs/elsewhere, but the job mounts nothing there; its shares are at /mnt/nfs/datasets, /mnt/lustre/scratch.")]
    [InlineData("/data=/tmp", "--mount has '/data=/tmp'; expected /mnt/nfs/<mountPoint>=FOLDER or /mnt/lustre/<mountPoint>=FOLDER, once per share.")]
    [InlineData("/mnt/nfs/datasets", "--mount has '/mnt/nfs/datasets'; expected")]
    public async Task A_mount_folder_for_no_share_of_the_job_or_malformed_is_VTX5071(string mount, string message)
    {
        var request = JobDocs.Custom(JobDocs.Spec(WithShares(JobDocs.Pool(1, "--probe=info")))).Save(_temp.Path);

        var result = await _cli.RunAsync(RunTimeout, "local-run", "--request", request, "--mode", "process", "--app", _temp.Combine("never-started"), "--mount", mount);

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains("error VTX5071: " + message, result.All);
    }

    [Fact]
    public async Task Mount_folders_for_a_project_are_its_items_LocalPath_not_the_option()
    {
        var result = await _cli.RunAsync(RunTimeout, "local-run", _temp.Combine("App.csproj"), "--mount", "/mnt/nfs/datasets=/tmp");

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains("error VTX1016: --mount needs --request; for a PROJECT, set LocalPath on its VertexNfsMount or VertexLustreMount items.", result.All);
    }
}
