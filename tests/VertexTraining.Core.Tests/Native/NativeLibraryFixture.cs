namespace VertexTraining.Core.Tests.Native;

/// <summary>
/// Real shared libraries, built once per test class: stand-ins for libstdc++, cuDNN and the CUDA
/// runtime, with libraries linked against them the way a NuGet package's native library is.
/// </summary>
public sealed class NativeLibraryFixture : IDisposable
{
    public NativeLibraryFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "vtx-native-" + Guid.NewGuid().ToString("N")[..8]);
        var standIns = Path.Combine(Root, "stand-ins");

        // A libstdc++.so.6 defining one symbol at GLIBCXX_3.4.30 (GCC 12) and one at 3.4.32 (GCC 13.2):
        // linking against it records the same verneed entry a real GCC 13.2 build does.
        var stdcxx = NativeToolchain.SharedLibrary(standIns, "libstdc++.so.6",
            "void vtx_gcc12_api(void) {}\nvoid vtx_gcc13_api(void) {}\n", soname: "libstdc++.so.6",
            versionScript: "GLIBCXX_3.4.30 { global: vtx_gcc12_api; local: *; };\nGLIBCXX_3.4.32 { global: vtx_gcc13_api; } GLIBCXX_3.4.30;\n");
        NeedsGlibcxx32 = NativeToolchain.SharedLibrary(Path.Combine(Root, "gcc13"), "libNeedsGcc13.so",
            "void vtx_gcc13_api(void);\nvoid uses_gcc13(void) { vtx_gcc13_api(); }\n", linkAgainst: stdcxx);
        NeedsGlibcxx30 = NativeToolchain.SharedLibrary(Path.Combine(Root, "gcc12"), "libNeedsGcc12.so",
            "void vtx_gcc12_api(void);\nvoid uses_gcc12(void) { vtx_gcc12_api(); }\n", linkAgainst: stdcxx);

        var cudnn = NativeToolchain.SharedLibrary(standIns, "libcudnn.so.9", "int cudnnGetVersion(void) { return 90100; }\n", soname: "libcudnn.so.9");
        NeedsCudnn = NativeToolchain.SharedLibrary(Path.Combine(Root, "cudnn-user"), "libUsesCudnn.so",
            "int cudnnGetVersion(void);\nint version(void) { return cudnnGetVersion(); }\n", linkAgainst: cudnn);

        // The CUDA runtime a package would carry: 2 MB of initialised data make it weigh something.
        CudartStandIn = NativeToolchain.SharedLibrary(standIns, "libcudart.so.12",
            "const char vtx_payload[2000000] = {1};\nint cudaRuntimeGetVersion(int* v) { *v = 12040; return vtx_payload[0] - 1; }\n", soname: "libcudart.so.12");
        NeedsCudart = NativeToolchain.SharedLibrary(Path.Combine(Root, "cudart-user"), "libUsesCudart.so",
            "int cudaRuntimeGetVersion(int*);\nint version(void) { int v; cudaRuntimeGetVersion(&v); return v; }\n", linkAgainst: CudartStandIn);
        CudnnStandIn = cudnn;
    }

    public string Root { get; }

    /// <summary>Needs GLIBCXX_3.4.32 of libstdc++.so.6, like TorchSharp 0.107's libLibTorchSharp.so.</summary>
    public string NeedsGlibcxx32 { get; }

    /// <summary>Needs GLIBCXX_3.4.30 of libstdc++.so.6: what Ubuntu 22.04 has.</summary>
    public string NeedsGlibcxx30 { get; }

    /// <summary>Needs libcudnn.so.9.</summary>
    public string NeedsCudnn { get; }

    /// <summary>Needs libcudart.so.12.</summary>
    public string NeedsCudart { get; }

    /// <summary>A stand-in libcudart.so.12 (DT_SONAME libcudart.so.12).</summary>
    public string CudartStandIn { get; }

    /// <summary>A stand-in libcudnn.so.9.</summary>
    public string CudnnStandIn { get; }

    /// <summary>A fresh publish folder holding copies of <paramref name="files"/> (at the relative paths given, or flat).</summary>
    public string PublishFolder(params (string File, string RelativePath)[] files)
    {
        var folder = Path.Combine(Root, "publish-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "App.dll"), "not native");
        foreach (var (file, relative) in files)
        {
            var target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return folder;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
