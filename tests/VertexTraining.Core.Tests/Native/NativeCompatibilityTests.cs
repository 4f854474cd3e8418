using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Native;

namespace VertexTraining.Core.Tests.Native;

public sealed class NativeCompatibilityTests(NativeLibraryFixture fixture) : IClassFixture<NativeLibraryFixture>
{
    private const string Default2204 = "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04";
    private const string Cudnn2404 = "nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04";

    [Fact]
    public void A_library_needing_GLIBCXX_3_4_32_fails_on_Ubuntu_22_04_with_the_24_04_fix()
    {
        var publish = fixture.PublishFolder((fixture.NeedsGlibcxx32, "runtimes/linux-x64/native/libNeedsGcc13.so"));

        var error = Assert.Single(Check(publish, Default2204).Items);

        Assert.False(error.IsWarning);
        Assert.Equal(DiagnosticCodes.NativeLibraryIncompatible, error.Code);
        Assert.Equal("VertexUbuntuVersion", error.Subject);
        Assert.Contains("runtimes/linux-x64/native/libNeedsGcc13.so cannot load on nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04", error.Message);
        Assert.Contains("it needs GLIBCXX_3.4.32 of libstdc++.so.6, and Ubuntu 22.04 has up to GLIBCXX_3.4.30", error.Message);
        // CUDA 12.4.1 has no 24.04 image, so the fix names a CUDA version that has one.
        Assert.Contains("Fix: set VertexUbuntuVersion=24.04 (GLIBCXX_3.4.33) with VertexCudaVersion=12.9.1", error.Message);
        Assert.Contains("VertexNativeCheck=false", error.Message);
    }

    [Fact]
    public void The_same_library_loads_on_Ubuntu_24_04()
    {
        var publish = fixture.PublishFolder((fixture.NeedsGlibcxx32, "libNeedsGcc13.so"));

        Assert.Empty(Check(publish, Cudnn2404).Items);
    }

    [Fact]
    public void A_library_needing_only_GLIBCXX_3_4_30_loads_on_Ubuntu_22_04()
    {
        var publish = fixture.PublishFolder((fixture.NeedsGlibcxx30, "libNeedsGcc12.so"));

        Assert.Empty(Check(publish, Default2204).Items);
    }

    [Fact]
    public void A_library_needing_cuDNN_fails_on_the_runtime_flavour_with_the_cudnn_runtime_fix()
    {
        var publish = fixture.PublishFolder((fixture.NeedsCudnn, "libUsesCudnn.so"));

        var error = Assert.Single(Check(publish, "nvidia/cuda:12.4.1-runtime-ubuntu22.04").Items);

        Assert.Equal(DiagnosticCodes.NativeLibraryIncompatible, error.Code);
        Assert.Equal("VertexCudaFlavor", error.Subject);
        Assert.Contains("it needs libcudnn.so.9, and the 'runtime' flavour has no libcudnn.so.9", error.Message);
        Assert.Contains("Fix: set VertexCudaFlavor=cudnn-runtime", error.Message);
        Assert.Empty(Check(publish, Default2204).Items);
    }

    [Fact]
    public void A_library_built_for_CUDA_12_fails_on_a_CUDA_13_base_with_a_CUDA_12_fix()
    {
        var publish = fixture.PublishFolder((fixture.NeedsCudart, "libUsesCudart.so"));

        var error = Assert.Single(Check(publish, "nvidia/cuda:13.0.1-runtime-ubuntu24.04").Items);

        Assert.Equal("VertexCudaVersion", error.Subject);
        Assert.Contains("it needs libcudart.so.12, and CUDA 13.0.1 has libcudart.so.13", error.Message);
        Assert.Contains("Fix: set VertexCudaVersion=12.9.1 (a CUDA 12 base)", error.Message);
    }

    [Fact]
    public void Needs_met_by_the_publish_output_itself_are_met()
    {
        // The stand-in libcudnn.so.9 travels with its user, so the runtime flavour is enough.
        var publish = fixture.PublishFolder((fixture.NeedsCudnn, "libUsesCudnn.so"), (fixture.CudnnStandIn, "libcudnn.so.9"));

        Assert.DoesNotContain(Check(publish, "nvidia/cuda:12.4.1-runtime-ubuntu22.04").Items, d => !d.IsWarning);
    }

    [Fact]
    public void A_shipped_libcudart_on_cudnn_runtime_warns_and_names_the_base_flavour()
    {
        var publish = fixture.PublishFolder((fixture.NeedsCudart, "libUsesCudart.so"), (fixture.CudartStandIn, "runtimes/linux-x64/native/libcudart.so.12"));
        var size = new FileInfo(fixture.CudartStandIn).Length;

        var warning = Assert.Single(Check(publish, Default2204).Items);

        Assert.True(warning.IsWarning);
        Assert.Equal(DiagnosticCodes.CudaLibrariesShippedTwice, warning.Code);
        Assert.Contains($"runtimes/linux-x64/native/libcudart.so.12 ({size:N0} bytes", warning.Message);
        Assert.Contains("Set VertexCudaFlavor=base", warning.Message);
        Assert.Contains("it still carries libcudart.so.12 itself", warning.Message);
    }

    [Fact]
    public void Shipped_cuDNN_and_CUDA_runtime_name_the_base_flavour_and_the_bytes_it_saves()
    {
        // TorchSharp-cuda's shape: the package brings the CUDA runtime and cuDNN next to its own library.
        var publish = fixture.PublishFolder(
            (fixture.NeedsCudart, "libUsesCudart.so"), (fixture.NeedsCudnn, "libUsesCudnn.so"),
            (fixture.CudartStandIn, "libcudart.so.12"), (fixture.CudnnStandIn, "libcudnn.so.9"));
        var cudnnSize = new FileInfo(fixture.CudnnStandIn).Length;

        var warning = Assert.Single(Check(publish, Default2204).Items);

        Assert.Equal(DiagnosticCodes.CudaLibrariesShippedTwice, warning.Code);
        Assert.Contains($"Set VertexCudaFlavor=base: it still has everything the native libraries need from the base, and leaves out the second copy of libcudnn.so.9 ({cudnnSize:N0} bytes", warning.Message);
    }

    [Fact]
    public void No_warning_when_the_lightest_flavour_that_works_is_already_chosen()
    {
        var publish = fixture.PublishFolder((fixture.NeedsCudart, "libUsesCudart.so"), (fixture.CudartStandIn, "libcudart.so.12"));

        Assert.Empty(Check(publish, "nvidia/cuda:12.4.1-base-ubuntu22.04").Items);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:8.0")]
    [InlineData("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04")]
    [InlineData("nvidia/cuda:12.4.1-runtime-ubuntu18.04")]
    public void Other_bases_are_not_known_so_the_check_is_skipped_with_a_reason(string image)
    {
        Assert.Null(CudaImageFacts.FromImage(image, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void A_mirrored_nvidia_cuda_tag_is_known()
    {
        var known = CudaImageFacts.FromImage("127.0.0.1:5000/nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04", out _);

        Assert.NotNull(known);
        Assert.Equal(("12.4.1", 12, "cudnn-runtime", "22.04"), (known.CudaVersion, known.CudaMajor, known.Flavor, known.Ubuntu.Ubuntu));
    }

    [Fact]
    public void This_machine_is_checked_from_its_own_libraries_for_a_local_process_run()
    {
        // The stand-in libstdc++ defines GLIBCXX_3.4.30 and 3.4.32 but nothing newer.
        var host = new HostNativeBase([Path.Combine(fixture.Root, "stand-ins"), "/lib/x86_64-linux-gnu"]);
        Assert.Equal(Availability.Present, host.Version(new VersionNeed("libstdc++.so.6", "GLIBCXX_3.4.32")).Availability);
        var missing = host.Version(new VersionNeed("libstdc++.so.6", "GLIBCXX_3.4.33"));

        Assert.Equal(Availability.Missing, missing.Availability);
        Assert.Contains("has up to GLIBCXX_3.4.32", missing.Has);
        Assert.Equal(Availability.Missing, host.Soname("libcublas.so.12").Availability);
        Assert.Equal(Availability.NotChecked, host.Soname("liblttng-ust.so.0").Availability);
    }

    [Fact]
    public void On_this_machine_the_library_needing_GLIBCXX_3_4_32_loads_only_if_its_libstdcxx_has_that_version()
    {
        // The local process-run case: Debian 12 (GCC 12) stops at GLIBCXX_3.4.30. What this machine
        // has is read independently, with readelf.
        var stdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        var hostHas = ReadElfOutput.Parse(NativeToolchain.ReadElf(stdcxx)).VersionDefinitions.Contains("GLIBCXX_3.4.32");
        var publish = fixture.PublishFolder((fixture.NeedsGlibcxx32, "libNeedsGcc13.so"));
        var diagnostics = new DiagnosticBag();

        NativeCompatibilityCheck.Run(publish, new HostNativeBase(), diagnostics);

        if (hostHas)
        {
            Assert.Empty(diagnostics.Items);
        }
        else
        {
            var error = Assert.Single(diagnostics.Items);
            Assert.Equal(DiagnosticCodes.NativeLibraryIncompatible, error.Code);
            Assert.Contains("libNeedsGcc13.so cannot load on this machine (local process run): it needs GLIBCXX_3.4.32 of libstdc++.so.6, and this machine's", error.Message);
            Assert.Contains("VertexLocalMode=container", error.Message);
        }
    }

    [Fact]
    public void The_dotnet_runtimes_own_native_libraries_load_on_this_machine()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var publish = fixture.PublishFolder([.. Directory.GetFiles(runtime, "*.so").Select(f => (f, Path.GetFileName(f)))]);
        var diagnostics = new DiagnosticBag();

        var report = NativeCompatibilityCheck.Run(publish, new HostNativeBase(), diagnostics);

        Assert.NotEmpty(report.Libraries);
        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public void Every_known_CUDA_base_has_facts()
    {
        foreach (var version in Containers.CudaBaseImage.KnownVersions)
        {
            foreach (var ubuntu in Containers.CudaBaseImage.UbuntuVersions)
            {
                foreach (var flavor in Containers.CudaBaseImage.Flavors)
                {
                    if (Containers.CudaBaseImage.OfferedVersions(flavor, ubuntu).Contains(version))
                    {
                        Assert.NotNull(CudaImageFacts.FromImage($"nvidia/cuda:{version}-{flavor}-ubuntu{ubuntu}", out _));
                    }
                }
            }
        }
    }

    private static DiagnosticBag Check(string publish, string image)
    {
        var diagnostics = new DiagnosticBag();
        var nativeBase = CudaImageFacts.FromImage(image, out var reason) ?? throw new InvalidOperationException(reason);
        NativeCompatibilityCheck.Run(publish, nativeBase, diagnostics);
        return diagnostics;
    }
}

/// <summary>The library of the issue: TorchSharp 0.107.0's own libLibTorchSharp.so, from the NuGet package.</summary>
public sealed class TorchSharpLibraryTests
{
    private static string LibTorchSharp
    {
        get
        {
            var package = typeof(TorchSharpLibraryTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "TorchSharpPackage").Value;
            var path = Path.Combine(package!, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            Assert.True(File.Exists(path), $"{path} is missing: restore tests/VertexTraining.Core.Tests");
            return path;
        }
    }

    [Fact]
    public void Reads_what_readelf_reads()
    {
        var expected = ReadElfOutput.Parse(NativeToolchain.ReadElf(LibTorchSharp));
        var library = ElfReader.Read(LibTorchSharp).Library!;

        Assert.Equal(expected.Needed, library.Needed);
        Assert.Equal(expected.VersionNeeds, library.VersionNeeds);
        Assert.Contains(new VersionNeed("libstdc++.so.6", "GLIBCXX_3.4.32"), library.VersionNeeds);
    }

    [Fact]
    public void Stops_on_the_default_base_with_the_24_04_fix_and_loads_on_24_04()
    {
        var publish = Path.Combine(Path.GetTempPath(), "vtx-torchsharp-" + Guid.NewGuid().ToString("N")[..8]);
        var native = Path.Combine(publish, "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(native);
        File.Copy(LibTorchSharp, Path.Combine(native, "libLibTorchSharp.so"));
        try
        {
            var onDefault = new DiagnosticBag();
            NativeCompatibilityCheck.Run(publish, CudaImageFacts.FromImage("nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04", out _)!, onDefault);
            var onNoble = new DiagnosticBag();
            var report = NativeCompatibilityCheck.Run(publish, CudaImageFacts.FromImage("nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04", out _)!, onNoble);

            var error = Assert.Single(onDefault.Items);
            Assert.Equal(DiagnosticCodes.NativeLibraryIncompatible, error.Code);
            Assert.Contains("libLibTorchSharp.so cannot load on nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04: it needs GLIBCXX_3.4.32 of libstdc++.so.6", error.Message);
            Assert.Contains("VertexUbuntuVersion=24.04", error.Message);
            Assert.Empty(onNoble.Items);
            // libtorch itself comes from the libtorch-cpu package, not copied here: not judged, but said.
            Assert.Contains("libtorch_cpu.so", report.NotChecked);
        }
        finally
        {
            Directory.Delete(publish, recursive: true);
        }
    }
}
