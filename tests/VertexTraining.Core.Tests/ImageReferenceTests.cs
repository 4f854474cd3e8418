using VertexTraining.Core.Containers;

namespace VertexTraining.Core.Tests;

/// <summary>Image names split as docker and the .NET SDK split them.</summary>
public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04", "docker.io", "nvidia/cuda", "12.4.1-cudnn-runtime-ubuntu22.04")]
    [InlineData("ubuntu", "docker.io", "library/ubuntu", "latest")]
    [InlineData("localhost:5000/nvidia/cuda:12.4.1-base-ubuntu22.04", "localhost:5000", "nvidia/cuda", "12.4.1-base-ubuntu22.04")]
    [InlineData("127.0.0.1:9/nvidia/cuda", "127.0.0.1:9", "nvidia/cuda", "latest")]
    [InlineData("us-docker.pkg.dev/p/r/img@sha256:abc", "us-docker.pkg.dev", "p/r/img", "sha256:abc")]
    [InlineData("localhost/app:1", "localhost", "app", "1")]
    [InlineData("mirror.example/nvidia/cuda:12.8.0-runtime-ubuntu24.04@sha256:def", "mirror.example", "nvidia/cuda", "sha256:def")]
    public void Splits_registry_repository_and_reference(string image, string registry, string repository, string reference)
    {
        var parsed = ImageReference.Parse(image);

        Assert.Equal((registry, repository, reference), (parsed.Registry, parsed.Repository, parsed.Reference));
    }
}
