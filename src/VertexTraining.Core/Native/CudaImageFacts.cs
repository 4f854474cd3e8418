using System.Text.RegularExpressions;

namespace VertexTraining.Core.Native;

/// <summary>
/// What an Ubuntu release's C and C++ runtimes provide: the newest <c>GLIBC_</c>, <c>GLIBCXX_</c>
/// and <c>CXXABI_</c> symbol versions, with the packages they come from.
/// </summary>
/// <param name="Ubuntu">e.g. 22.04.</param>
/// <param name="Glibc">The newest GLIBC_ version of libc.so.6 (glibc's own release number).</param>
/// <param name="Glibcxx">The newest GLIBCXX_ version of libstdc++.so.6.</param>
/// <param name="CxxAbi">The newest CXXABI_ version of libstdc++.so.6.</param>
/// <param name="Source">The Ubuntu packages these were taken from.</param>
public sealed record UbuntuRuntime(string Ubuntu, string Glibc, string Glibcxx, string CxxAbi, string Source);

/// <summary>A CUDA library family: its soname per CUDA major version and the lightest flavour carrying it.</summary>
/// <param name="Name">The name between <c>lib</c> and <c>.so</c>, e.g. <c>cudart</c>.</param>
/// <param name="SonameByCudaMajor">The soname that CUDA major version installs, e.g. 12 → libcufft.so.11.</param>
/// <param name="Flavor">The lightest flavour that carries it: base, runtime or cudnn-runtime.</param>
public sealed record CudaLibrary(string Name, IReadOnlyDictionary<int, string> SonameByCudaMajor, string Flavor);

/// <summary>
/// Facts about the <c>nvidia/cuda</c> images, for checking a publish output against them without
/// pulling gigabytes. Sources are named per fact; docs/native-compatibility.md repeats them.
/// </summary>
public static class CudaImageFacts
{
    /// <summary>
    /// glibc and libstdc++ per Ubuntu release the images are built on. The GLIBCXX/CXXABI numbers
    /// per GCC release are those of the libstdc++ manual's ABI history ("abi.versioning.history":
    /// GCC 10.1 GLIBCXX_3.4.28/CXXABI_1.3.12, GCC 12.1 3.4.30/1.3.13, GCC 14.1 3.4.33/1.3.15); the
    /// GCC release is that of the libstdc++6 package in the release's -updates pocket.
    /// </summary>
    public static readonly IReadOnlyList<UbuntuRuntime> Ubuntus =
    [
        new("20.04", "2.31", "3.4.28", "1.3.12", "focal: libc6 2.31-0ubuntu9.x, libstdc++6 10.5.0-1ubuntu1~20.04 (GCC 10)"),
        new("22.04", "2.35", "3.4.30", "1.3.13", "jammy: libc6 2.35-0ubuntu3.x, libstdc++6 12.3.0-1ubuntu1~22.04 (GCC 12)"),
        new("24.04", "2.39", "3.4.33", "1.3.15", "noble: libc6 2.39-0ubuntu8.x, libstdc++6 14.2.0-4ubuntu2~24.04 (GCC 14)"),
    ];

    /// <summary>Flavours from lightest to heaviest; each carries the libraries of the ones before it.</summary>
    public static readonly IReadOnlyList<string> FlavorOrder = ["base", "runtime", "cudnn-runtime"];

    /// <summary>
    /// Which CUDA shared libraries each flavour installs, from the images' Dockerfiles
    /// (gitlab.com/nvidia/container-images/cuda, dist/&lt;version&gt;/ubuntu2204/{base,runtime,runtime/cudnn}):
    /// base installs cuda-cudart; runtime adds cuda-libraries (cuBLAS, cuFFT, cuRAND, cuSOLVER,
    /// cuSPARSE, NVRTC, nvJitLink, NPP, nvJPEG; the check lists those whose sonames it is sure of), cuda-nvtx and libnccl2; cudnn-runtime adds libcudnn9.
    /// Sonames per major from the CUDA 12 and 13 redistributables: the math libraries are versioned
    /// on their own (CUDA 13 ships cuFFT 12, cuSOLVER 12, cuSPARSE 12, cuRAND 10).
    /// </summary>
    public static readonly IReadOnlyList<CudaLibrary> Libraries =
    [
        Library("cudart", "base", 12, 13),
        Library("cublas", "runtime", 12, 13),
        Library("cublasLt", "runtime", 12, 13),
        Library("cufft", "runtime", 11, 12),
        Library("cufftw", "runtime", 11, 12),
        Library("curand", "runtime", 10, 10),
        Library("cusolver", "runtime", 11, 12),
        Library("cusolverMg", "runtime", 11, 12),
        Library("cusparse", "runtime", 12, 12),
        Library("nvrtc", "runtime", 12, 13),
        Library("nvJitLink", "runtime", 12, 13),
        Library("nccl", "runtime", 2, 2),
        new("nvToolsExt", new Dictionary<int, string> { [12] = "libnvToolsExt.so.1" }, "runtime"),
        .. new[] { "cudnn", "cudnn_ops", "cudnn_cnn", "cudnn_adv", "cudnn_graph", "cudnn_heuristic", "cudnn_engines_precompiled", "cudnn_engines_runtime_compiled" }
            .Select(name => Library(name, "cudnn-runtime", 9, 9)),
    ];

    /// <summary>
    /// Provided on every Vertex GPU machine and in every Ubuntu image: the driver's libraries (the
    /// NVIDIA container runtime mounts them from the host), glibc's, and the GCC runtime and zlib
    /// that every Ubuntu image carries (libgcc-s1, libstdc++6 and zlib1g are Priority: required).
    /// </summary>
    public static readonly IReadOnlySet<string> AlwaysPresent = new HashSet<string>(StringComparer.Ordinal)
    {
        "libcuda.so.1", "libnvidia-ml.so.1", "libnvidia-ptxjitcompiler.so.1",
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2",
        "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1",
    };

    private static readonly Regex TagPattern = new(
        @"(?:^|/)nvidia/cuda:(?<version>(?<major>\d+)\.\d+\.\d+)-(?<flavor>base|runtime|devel|cudnn-runtime|cudnn-devel)-ubuntu(?<ubuntu>\d\d\.\d\d)$",
        RegexOptions.CultureInvariant);

    /// <summary>The Ubuntu facts for a release, or null when we hold none.</summary>
    public static UbuntuRuntime? Ubuntu(string ubuntu) => Ubuntus.FirstOrDefault(u => u.Ubuntu == ubuntu);

    /// <summary>
    /// The base for an image reference such as <c>nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04</c>
    /// (any registry prefix: mirrors keep the tag), or null with <paramref name="reason"/> when the
    /// image is not an nvidia/cuda tag whose facts we hold.
    /// </summary>
    public static CudaImageNativeBase? FromImage(string image, out string? reason)
    {
        var match = TagPattern.Match(image.Split('@')[0]);
        if (!match.Success)
        {
            reason = $"'{image}' is not an nvidia/cuda:<version>-<base|runtime|cudnn-runtime|devel|cudnn-devel>-ubuntu<release> image, the only bases whose libraries are known without pulling them";
            return null;
        }

        var major = int.Parse(match.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var ubuntu = Ubuntu(match.Groups["ubuntu"].Value);
        if (ubuntu is null || !Libraries.Any(l => l.SonameByCudaMajor.ContainsKey(major)))
        {
            reason = $"no facts are recorded for CUDA {major} on Ubuntu {match.Groups["ubuntu"].Value} (known: CUDA 12 and 13 on Ubuntu {string.Join(", ", Ubuntus.Select(u => u.Ubuntu))})";
            return null;
        }

        // devel images carry the runtime's shared libraries plus headers and static libraries.
        var flavor = match.Groups["flavor"].Value.Replace("devel", "runtime", StringComparison.Ordinal);
        reason = null;
        return new CudaImageNativeBase(image, match.Groups["version"].Value, major, flavor, ubuntu);
    }

    /// <summary>The CUDA library a soname belongs to, with the CUDA major it was built for (null when the soname is not one we know).</summary>
    public static (CudaLibrary Library, int? CudaMajor)? Identify(string soname)
    {
        var stem = soname.Split(".so", 2)[0];
        if (!stem.StartsWith("lib", StringComparison.Ordinal))
        {
            return null;
        }

        var library = Libraries.FirstOrDefault(l => l.Name == stem[3..]);
        if (library is null)
        {
            return null;
        }

        var majors = library.SonameByCudaMajor.Where(p => p.Value == soname).Select(p => (int?)p.Key).ToList();
        // A soname shared by several majors (libcurand.so.10) says nothing about which one.
        return (library, majors.Count == 1 ? majors[0] : null);
    }

    private static CudaLibrary Library(string name, string flavor, int soVersion12, int soVersion13) =>
        new(name, new Dictionary<int, string> { [12] = $"lib{name}.so.{soVersion12}", [13] = $"lib{name}.so.{soVersion13}" }, flavor);
}
