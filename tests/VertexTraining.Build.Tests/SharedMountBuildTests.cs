using System.Text.Json.Nodes;
using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>
/// VertexNfsMount / VertexLustreMount items in a local run through the build: LocalPath (relative to the project)
/// reaches local-run as the folder bind-mounted at the share's path; process mode refuses the shares.
/// </summary>
public sealed class SharedMountBuildTests
{
    private const string Shares = """
        <Project>
          <ItemGroup>
            <VertexNfsMount Include="datasets" Server="10.0.0.2" Path="/exports/data" LocalPath="shared data" />
            <VertexLustreMount Include="scratch" InstanceIp="10.90.0.4" VolumeHandle="vh-1" Filesystem="lfs" />
          </ItemGroup>
        </Project>
        """;

    [PodmanFact]
    public void A_container_run_bind_mounts_the_LocalPath_of_each_share_and_a_run_folder_for_the_others()
    {
        TestEnvironment.RequirePodman();
        using var project = TestProject.Create("HelloTrainer", "shares-container");
        var itemsFile = Path.Combine(project.Directory, "shares.targets");
        File.WriteAllText(itemsFile, Shares);
        var runFolder = Path.Combine(project.Directory, "my-run");

        // The CUDA base from the loopback registry (Docker Hub is out of reach); one layer, as the template's container test.
        var build = project.Dotnet("publish", "-restore", "-t:SubmitTraining", "-p:VertexTarget=Local", "-p:VertexLocalMode=container",
            "-p:VertexImageLayers=single", $"-p:VertexCudaImageRepository={TestEnvironment.BaseImageRepository}",
            $"-p:CustomAfterMicrosoftCommonTargets={itemsFile}", $"-p:VertexLocalRunDirectory={runFolder}");

        build.AssertSuccess();
        var data = Path.Combine(project.Directory, "shared data");
        Assert.Contains(build.Lines, l => l.Trim() == $"VertexTraining: NFS 10.0.0.2:/exports/data at /mnt/nfs/datasets: bind mount of {data}");
        Assert.Contains(build.Lines, l => l.Trim().StartsWith($"VertexTraining: Lustre 10.90.0.4:/lfs (vh-1) at /mnt/lustre/scratch: bind mount of {Path.Combine(runFolder, "mnt", "lustre", "scratch")}, a folder of the run", StringComparison.Ordinal));
        Assert.True(Directory.Exists(data), build.Describe());
        // LocalPath stays on this machine: the document has the API's fields only.
        var pool = Json.ParseObject(project.VertexFile("job-request.json", build))["jobSpec"]!["workerPoolSpecs"]![0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"server":"10.0.0.2","path":"/exports/data","mountPoint":"datasets"}]"""), pool["nfsMounts"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"instanceIp":"10.90.0.4","volumeHandle":"vh-1","filesystem":"lfs","mountPoint":"scratch"}]"""), pool["lustreMounts"]));
    }

    [Fact]
    public void A_process_mode_run_refuses_the_shares_with_VTX5070()
    {
        using var project = TestProject.Create("HelloTrainer", "shares-process");
        var itemsFile = Path.Combine(project.Directory, "shares.targets");
        File.WriteAllText(itemsFile, Shares);

        var build = project.Dotnet("publish", "-restore", "-t:SubmitTraining", "-p:VertexTarget=Local", "-p:VertexLocalMode=process",
            $"-p:CustomAfterMicrosoftCommonTargets={itemsFile}");

        Assert.False(build.Succeeded, build.Describe());
        var error = Assert.Single(build.Errors, e => e.Code == "VTX5070");
        Assert.Contains("The job mounts NFS 10.0.0.2:/exports/data at /mnt/nfs/datasets, Lustre 10.90.0.4:/lfs (vh-1) at /mnt/lustre/scratch", error.Message, StringComparison.Ordinal);
        Assert.Contains("run it in container mode", error.Message, StringComparison.Ordinal);
    }
}
