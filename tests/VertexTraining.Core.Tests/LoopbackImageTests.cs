using VertexTraining.Core.Local;

namespace VertexTraining.Core.Tests;

/// <summary>
/// The build's loopback registry and the local engine: which engines can pull from it, and the name
/// a local run gives the image it pulled from there.
/// </summary>
public sealed class LoopbackImageTests
{
    [Theory]
    [InlineData("podman", "host:\n  remoteSocket:\n    exists: false\n  serviceIsRemote: false\n", null)]
    [InlineData("podman", "host:\n  serviceIsRemote: true\n", "podman machine")]
    [InlineData("docker", " Server Version: 27.3.1\n Security Options:\n  seccomp\n   Profile: builtin\n  cgroupns\n Operating System: Ubuntu 24.04.1 LTS\n", null)]
    [InlineData("docker", " Security Options:\n  seccomp\n   Profile: builtin\n  rootless\n  cgroupns\n Operating System: Ubuntu 24.04.1 LTS\n", "rootless")]
    [InlineData("docker", " Operating System: Docker Desktop\n OSType: linux\n", "Docker Desktop")]
    public void Only_an_engine_that_pulls_from_this_machines_network_uses_the_loopback_registry(string engine, string info, string? why)
    {
        var reason = ContainerEngine.LoopbackUnreachable(engine, info);
        if (why is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Contains(why, reason);
        }
    }

    [Theory]
    [InlineData("127.0.0.1:40123/myapp@sha256:89b3", "myapp:latest")]
    [InlineData("127.0.0.1:40123/team/training/myapp@sha256:89b3", "team/training/myapp:latest")]
    [InlineData("127.0.0.1:40123/myapp:r1", "myapp:latest")]
    [InlineData("us-central1-docker.pkg.dev/p/r/myapp@sha256:89b3", null)]
    [InlineData("127.0.0.1:40123", null)]
    public void Only_an_image_from_the_loopback_registry_is_named_after_its_repository(string reference, string? expected) =>
        Assert.Equal(expected, ContainerEngine.LocalName(reference));
}
