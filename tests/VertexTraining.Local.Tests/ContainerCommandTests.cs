using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

public sealed class ContainerCommandTests
{
    private static readonly RunFolder Folder = new("/runs/job-9");

    [Fact]
    public void The_run_command_names_labels_and_networks_the_container_and_keeps_env_values_off_the_command_line()
    {
        var pool = JobDocs.Pool(1, "--epochs=3").WithEnv("API_TOKEN", "s3cret").WithEnv("PATH", "/custom/bin");
        var launch = Launch(pool, trialId: "2", out var layout);
        var launcher = new ContainerReplicaLauncher(new ContainerEngine("podman", "/usr/bin/podman"), "abc123", _ => true, passGpus: false);

        var arguments = launcher.RunArguments(launch, out var passed);

        Assert.Equal(["run", "--rm", "--name", launch.InstanceName, "--network", "host", "--label", "vertex-training.job=job-9", "--pull", "never"], arguments.Take(10));
        Assert.DoesNotContain(arguments, a => a.Contains("s3cret", StringComparison.Ordinal));
        Assert.Contains("API_TOKEN", arguments);
        Assert.Equal("s3cret", passed["API_TOKEN"]);
        Assert.Equal(layout.ClusterSpecFor(layout.Replicas[0], "2"), passed["CLUSTER_SPEC"]);
        // PATH is the engine's own variable: it goes on the command line so the podman CLI keeps its own PATH.
        Assert.Contains("PATH=/custom/bin", arguments);
        Assert.False(passed.ContainsKey("PATH"));
        Assert.Contains("/runs/job-9/trials/2/outputs/model:/runs/job-9/trials/2/outputs/model:z", arguments);
        Assert.Contains("/runs/job-9/trials/2/metrics:/runs/job-9/trials/2/metrics:z", arguments);
        Assert.DoesNotContain("--device", arguments);
        Assert.Equal(["abc123", "--epochs=3", "--x=1"], arguments.TakeLast(3));
    }

    [Fact]
    public void A_pools_command_replaces_the_entry_point_and_another_image_is_run_as_it_is()
    {
        var pool = JobDocs.Pool(1, "--flag");
        pool.ContainerSpec!.Command = ["sh", "-c", "echo hi"];
        pool.ContainerSpec.ImageUri = "gcr.io/other/image:1";
        var launch = Launch(pool, trialId: null, out _);
        var launcher = new ContainerReplicaLauncher(new ContainerEngine("docker", "/usr/bin/docker"), "abc123", image => image.Contains("probe", StringComparison.Ordinal), passGpus: true);

        var arguments = launcher.RunArguments(launch, out _);

        Assert.Equal(["--pull", "missing"], arguments.Skip(8).Take(2));
        Assert.Equal(["--gpus", "all", "--entrypoint", "sh", "gcr.io/other/image:1", "-c", "echo hi", "--flag"], arguments.TakeLast(8));
    }

    [Fact]
    public void Podman_gets_the_gpus_as_cdi_devices()
    {
        var launcher = new ContainerReplicaLauncher(new ContainerEngine("podman", "/usr/bin/podman"), "abc123", _ => true, passGpus: true);

        var arguments = launcher.RunArguments(Launch(JobDocs.Pool(1), null, out _), out _);

        Assert.Contains("nvidia.com/gpu=all", arguments);
        Assert.Equal("--device", arguments[arguments.IndexOf("nvidia.com/gpu=all") - 1]);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/team/myapp@sha256:0123", "myapp")]
    [InlineData("europe-docker.pkg.dev/p/repo/myapp:1.2", "myapp")]
    [InlineData("docker.io/library/MyApp:latest", "myapp")]
    [InlineData("myapp", "myapp")]
    public void Images_are_matched_by_repository_name(string reference, string name) =>
        Assert.Equal(name, BuiltImage.RepositoryName(reference));

    [Fact]
    public void With_one_image_every_pool_runs_the_built_one_and_with_several_the_name_decides()
    {
        var single = JobDocs.Spec(JobDocs.Pool(1), JobDocs.Pool(2));
        Assert.True(BuiltImage.Matcher(single, "something-else:latest")(JobDocs.ImageUri));

        var other = JobDocs.Pool(1);
        other.ContainerSpec!.ImageUri = "us-docker.pkg.dev/vertex-ai-restricted/training/reductionserver:latest";
        var mixed = JobDocs.Spec(JobDocs.Pool(1), JobDocs.Pool(1), other);
        var byName = BuiltImage.Matcher(mixed, "docker.io/library/vtx-local-tests-probe:latest");
        Assert.True(byName(JobDocs.ImageUri));
        Assert.False(byName(other.ContainerSpec.ImageUri));

        var byPrimary = BuiltImage.Matcher(mixed, null);
        Assert.True(byPrimary(JobDocs.ImageUri));
        Assert.False(byPrimary(other.ContainerSpec.ImageUri));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_image_id_and_name_are_read_from_an_oci_archive_plain_or_gzipped(bool gzip)
    {
        using var temp = new TempDirectory("archive");
        const string config = "1111111111111111111111111111111111111111111111111111111111111111";
        const string manifest = "2222222222222222222222222222222222222222222222222222222222222222";
        var path = temp.Combine("image.tar.gz");
        WriteTar(path, gzip, new Dictionary<string, string>
        {
            ["oci-layout"] = """{"imageLayoutVersion":"1.0.0"}""",
            ["index.json"] = $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{{{manifest}}}","annotations":{"io.containerd.image.name":"docker.io/library/myapp:latest"}}]}""",
            [$"blobs/sha256/{manifest}"] = $$$"""{"schemaVersion":2,"config":{"digest":"sha256:{{{config}}}"},"layers":[]}""",
            [$"blobs/sha256/{config}"] = "{}",
        });

        Assert.Equal((config, "docker.io/library/myapp:latest"), ImageArchive.Read(path));
    }

    [Fact]
    public void The_image_id_is_read_from_a_docker_save_archive()
    {
        using var temp = new TempDirectory("archive");
        const string config = "3333333333333333333333333333333333333333333333333333333333333333";
        var path = temp.Combine("image.tar");
        WriteTar(path, gzip: false, new Dictionary<string, string>
        {
            ["manifest.json"] = $$"""[{"Config":"{{config}}.json","RepoTags":["myapp:1.0"],"Layers":[]}]""",
            [$"{config}.json"] = "{}",
        });

        Assert.Equal((config, "myapp:1.0"), ImageArchive.Read(path));
        Assert.Equal((null, null), ImageArchive.Read(temp.Combine("missing.tar")));
    }

    private static ReplicaLaunch Launch(VertexTraining.Core.Api.WorkerPoolSpec pool, string? trialId, out ClusterLayout layout)
    {
        layout = ClusterLayout.Create(JobDocs.Spec(pool));
        var replica = layout.Replicas[0];
        var context = new ReplicaRunContext("job-9", Folder, trialId, PassGpus: false);
        return new ReplicaLaunch(replica, RunFolder.TaskName(trialId, replica.TaskName), $"vtx-job-9-{RunFolder.TaskName(trialId, replica.TaskName)}", "job-9",
            [.. replica.Container.Args ?? [], .. trialId is null ? Array.Empty<string>() : ["--x=1"]],
            ReplicaEnvironment.Build(layout, replica, context), ReplicaEnvironment.WritableFolders(replica, context));
    }

    private static void WriteTar(string path, bool gzip, Dictionary<string, string> entries)
    {
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new TarWriter(stream);
        foreach (var (name, content) in entries)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }
    }

    [Fact]
    public void Only_untagged_earlier_pulls_of_the_same_app_from_a_loopback_registry_are_superseded()
    {
        const string listing = """
            aaaaaaaaaaaa1111 localhost/demo latest sha256:a1
            bbbbbbbbbbbb2222 127.0.0.1:42747/demo <none> sha256:b2
            sha256:cccccccccccc3333 127.0.0.1:43937/demo <none> sha256:c3
            sha256:cccccccccccc3333 127.0.0.1:44000/demo <none> sha256:c3
            dddddddddddd4444 127.0.0.1:43937/team/demo <none> sha256:d4
            eeeeeeeeeeee5555 127.0.0.1:5000/demo 1.0 sha256:e5
            ffffffffffff6666 127.0.0.1:40000/demo <none> sha256:f6
            """;

        var superseded = ContainerEngine.SupersededImages(listing, "demo", keep: "ffffffffffff");

        Assert.Equal(["127.0.0.1:42747/demo@sha256:b2", "127.0.0.1:43937/demo@sha256:c3", "127.0.0.1:44000/demo@sha256:c3"], superseded);
    }
}
