using VertexTraining.Core.Local;

namespace VertexTraining.Core.Tests;

/// <summary>The name a local run gives the image it pulled from the build's loopback registry.</summary>
public sealed class PulledImageNameTests
{
    [Theory]
    [InlineData("127.0.0.1:40123/myapp@sha256:89b3", "myapp:latest")]
    [InlineData("127.0.0.1:40123/team/training/myapp@sha256:89b3", "team/training/myapp:latest")]
    [InlineData("127.0.0.1:40123/myapp:r1", "myapp:latest")]
    [InlineData("us-central1-docker.pkg.dev/p/r/myapp@sha256:89b3", null)]
    [InlineData("127.0.0.1:40123", null)]
    public void Only_an_image_from_the_loopback_registry_is_named_after_its_repository(string reference, string? expected) =>
        Assert.Equal(expected, ContainerEngine.LocalName(reference));
}
