using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>
/// A machine that cannot reach the base image's registry (Docker Hub, on a first run behind a
/// firewall) gets a local run in process mode with the reason in auto mode, and one coded error
/// before anything is built when containers were asked for, not the SDK's stack trace.
/// </summary>
public sealed class BaseImageAvailabilityTests
{
    // A registry nobody answers on: the base image cannot be had from it.
    private const string UnreachableRepository = TestProject.ClosedPort + "/nvidia/cuda";

    [PodmanFact]
    public void Auto_mode_runs_processes_and_says_the_base_cannot_be_pulled()
    {
        TestEnvironment.RequirePodman();
        using var project = TestProject.Create("HelloTrainer", "base-unreachable-auto");

        var build = project.Dotnet("publish", "-restore", "-t:SubmitTraining", "-p:VertexTarget=Local",
            $"-p:VertexCudaImageRepository={UnreachableRepository}");

        build.AssertSuccess();
        Assert.Contains(build.VertexLines, l => l.StartsWith("VertexTraining: local run in process mode (", StringComparison.Ordinal)
            && l.Contains($"but the base image {UnreachableRepository}:", StringComparison.Ordinal)
            && l.Contains("set VertexCudaImageRepository", StringComparison.Ordinal));
        Assert.DoesNotContain("CONTAINER2020", build.Output, StringComparison.Ordinal);
        Assert.Contains(build.Lines, l => l.Contains("args=[]", StringComparison.Ordinal));
    }

    [PodmanFact]
    public void Container_mode_stops_with_VTX2070_before_the_image_is_built()
    {
        TestEnvironment.RequirePodman();
        using var project = TestProject.Create("HelloTrainer", "base-unreachable-container");

        var build = project.Dotnet("publish", "-restore", "-t:SubmitTraining", "-p:VertexTarget=Local", "-p:VertexLocalMode=container",
            $"-p:VertexCudaImageRepository={UnreachableRepository}");

        Assert.False(build.Succeeded, build.Describe());
        var error = Assert.Single(build.Errors, e => e.Code == "VTX2070");
        Assert.Contains("VertexLocalMode=process", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(build.Errors, e => e.Code is "CONTAINER2020" or "MSB4018");
        Assert.Empty(project.FindFiles("job-request.json"));
    }
}
