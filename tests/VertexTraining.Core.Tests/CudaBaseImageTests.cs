using VertexTraining.Core.Containers;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Tests;

public sealed class CudaBaseImageTests
{
    private static (string? Image, IReadOnlyList<VertexDiagnostic> Diagnostics) Resolve(
        string? version, string? flavor = null, string? ubuntu = null, string? repository = null)
    {
        var bag = new DiagnosticBag();
        var image = CudaBaseImage.Resolve(version, flavor, ubuntu, repository, bag);
        return (image, bag.Items);
    }

    private static VertexDiagnostic SingleError(string? version, string? flavor = null, string? ubuntu = null)
    {
        var (image, diagnostics) = Resolve(version, flavor, ubuntu);
        Assert.Null(image);
        return Assert.Single(diagnostics);
    }

    [Theory]
    [InlineData(null, null, null, "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04")]
    [InlineData("12.4", null, null, "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04")]
    [InlineData("12.4.0", null, null, "nvidia/cuda:12.4.0-cudnn-runtime-ubuntu22.04")]
    [InlineData("12.4.1", "base", null, "nvidia/cuda:12.4.1-base-ubuntu22.04")]
    [InlineData("12.4", "runtime", "22.04", "nvidia/cuda:12.4.1-runtime-ubuntu22.04")]
    [InlineData("12.4", "CUDNN-Runtime", "ubuntu22.04", "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04")]
    [InlineData("12.3", "runtime", null, "nvidia/cuda:12.3.2-runtime-ubuntu22.04")]
    [InlineData("12.6", "cudnn-runtime", "24.04", "nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04")]
    [InlineData("12.8.0", "base", "24.04", "nvidia/cuda:12.8.0-base-ubuntu24.04")]
    [InlineData("13.0", null, "24.04", "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04")]
    public void Resolves_a_published_tag(string? version, string? flavor, string? ubuntu, string expected)
    {
        var (image, diagnostics) = Resolve(version, flavor, ubuntu);

        Assert.Empty(diagnostics);
        Assert.Equal(expected, image);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/nvidia/cuda", "127.0.0.1:5000/nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04")]
    [InlineData("127.0.0.1:5000/nvidia/cuda/", "127.0.0.1:5000/nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04")]
    [InlineData("", "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04")]
    public void Repository_override_replaces_nvidia_cuda(string repository, string expected)
    {
        var (image, diagnostics) = Resolve("12.4", repository: repository);

        Assert.Empty(diagnostics);
        Assert.Equal(expected, image);
    }

    [Fact]
    public void Major_minor_resolves_to_the_newest_known_patch()
    {
        foreach (var minor in CudaBaseImage.KnownVersions.Select(v => v[..v.LastIndexOf('.')]).Distinct())
        {
            var newest = CudaBaseImage.KnownVersions.Where(v => v.StartsWith(minor + ".", StringComparison.Ordinal))
                .MaxBy(v => new Version(v));
            var (image, _) = Resolve(minor, "base", "22.04");
            Assert.Equal($"nvidia/cuda:{newest}-base-ubuntu22.04", image);
        }
    }

    [Fact]
    public void Unknown_version_lists_the_nearest_known_ones()
    {
        var error = SingleError("12.7");

        Assert.Equal(DiagnosticCodes.UnknownCudaVersion, error.Code);
        Assert.Equal("VertexCudaVersion", error.Subject);
        Assert.Contains("'12.7'", error.Message);
        Assert.Contains("the nearest known are 12.6.2, 12.6.3, 12.8.0, 12.8.1", error.Message);
        Assert.Contains("ContainerBaseImage", error.Message);
    }

    [Theory]
    [InlineData("11.8", "12.0.0, 12.0.1")]
    [InlineData("14.0", "13.0.0, 13.0.1")]
    [InlineData("12.4.2", "12.4.0, 12.4.1, 12.5.0, 12.5.1")]
    public void Unknown_version_at_the_edges_lists_what_exists(string version, string nearest)
    {
        var error = SingleError(version);

        Assert.Equal(DiagnosticCodes.UnknownCudaVersion, error.Code);
        Assert.Contains("the nearest known are " + nearest + ".", error.Message);
    }

    [Theory]
    [InlineData("twelve")]
    [InlineData("12")]
    [InlineData("12.4.1.0")]
    [InlineData("12.4.1-rc1")]
    [InlineData("v12.4")]
    [InlineData("")]
    public void Malformed_version_explains_the_forms_and_lists_known_versions(string version)
    {
        var error = SingleError(version);

        Assert.Equal(DiagnosticCodes.UnknownCudaVersion, error.Code);
        Assert.Equal("VertexCudaVersion", error.Subject);
        Assert.Contains("major.minor (e.g. 12.4", error.Message);
        Assert.Contains(string.Join(", ", CudaBaseImage.KnownVersions), error.Message);
    }

    [Fact]
    public void Unknown_flavor_lists_the_flavors()
    {
        var error = SingleError("12.4", "devel");

        Assert.Equal(DiagnosticCodes.UnknownCudaFlavor, error.Code);
        Assert.Equal("VertexCudaFlavor", error.Subject);
        Assert.Contains("base, runtime, cudnn-runtime", error.Message);
    }

    [Theory]
    [InlineData("20.04")]
    [InlineData("jammy")]
    public void Unknown_ubuntu_lists_the_versions(string ubuntu)
    {
        var error = SingleError("12.4", ubuntu: ubuntu);

        Assert.Equal(DiagnosticCodes.UnknownUbuntuVersion, error.Code);
        Assert.Equal("VertexUbuntuVersion", error.Subject);
        Assert.Contains("22.04, 24.04", error.Message);
    }

    [Fact]
    public void Cudnn_flavor_is_not_offered_before_12_4()
    {
        var error = SingleError("12.3", "cudnn-runtime");

        Assert.Equal(DiagnosticCodes.CudaFlavorNotAvailable, error.Code);
        Assert.Contains("CUDA 12.3.2 comes as base, runtime", error.Message);
        Assert.Contains("exists for CUDA 12.4.0, 12.4.1, 12.5.0", error.Message);
    }

    [Fact]
    public void Ubuntu_24_04_is_only_offered_from_12_6()
    {
        var error = SingleError("12.4.1", "runtime", "24.04");

        Assert.Equal(DiagnosticCodes.CudaFlavorNotAvailable, error.Code);
        Assert.Contains("on Ubuntu 22.04", error.Message);
        Assert.Contains("exists for CUDA 12.6.0,", error.Message);
        Assert.DoesNotContain("12.5.1,", error.Message);
    }

    [Fact]
    public void Independent_errors_are_reported_together_and_earlier_bag_entries_are_kept()
    {
        var bag = new DiagnosticBag();
        bag.Warning("VTX1084", "VertexMetric", "earlier");

        var image = CudaBaseImage.Resolve("12.7", "devel", "20.04", null, bag);

        Assert.Null(image);
        Assert.Equal(["VTX1084", "VTX1091", "VTX1092", "VTX1090"], bag.Items.Select(d => d.Code));
    }

    [Fact]
    public void An_earlier_warning_does_not_stop_resolution()
    {
        var bag = new DiagnosticBag();
        bag.Warning("VTX1084", "VertexMetric", "earlier");

        Assert.Equal("nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04", CudaBaseImage.Resolve(null, null, null, null, bag));
    }
}
