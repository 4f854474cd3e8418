using VertexTraining.Build.Tests.Infrastructure;
using VertexTraining.Testing;

namespace VertexTraining.Build.Tests;

/// <summary>
/// A project carrying its own native library that needs GLIBCXX_3.4.32 (as TorchSharp 0.107's
/// libLibTorchSharp.so does): on the default Ubuntu 22.04 base the build stops after publish with
/// VTX2060 and the 24.04 fix, before anything is pushed; on a 24.04 base it goes through.
/// </summary>
public sealed class NativeCompatibilityTests
{
    [RegistryFact]
    public void A_library_the_base_cannot_load_stops_the_build_before_the_push()
    {
        TestEnvironment.RequireRegistry();
        using var project = ProjectWithNativeLibrary("native-stop");
        var properties = Submission.CloudProperties(TestEnvironment.Registry, TestEnvironment.BaseImageRepository, "native-stop")
            .With(("CustomAfterMicrosoftCommonTargets", Path.Combine(project.Directory, "native.targets")));

        var run = Submission.Publish(project, properties);

        Assert.False(run.Build.Succeeded, run.Build.Describe());
        var error = Assert.Single(run.Build.Errors);
        Assert.Equal("VTX2060", error.Code);
        Assert.Contains("libNeedsGcc13.so cannot load on", error.Message);
        Assert.Contains("it needs GLIBCXX_3.4.32 of libstdc++.so.6, and Ubuntu 22.04 has up to GLIBCXX_3.4.30", error.Message);
        Assert.Contains("VertexUbuntuVersion=24.04", error.Message);
        using var registry = new RegistryClient(TestEnvironment.Registry);
        registry.AssertRepositoryAbsent(run.Repository, "an incompatible native library must stop the build before the push");
        Assert.Empty(project.FindFiles("job-request.json"));
    }

    [RegistryFact]
    public void The_same_library_on_an_Ubuntu_24_04_base_passes_the_check()
    {
        TestEnvironment.RequireRegistry();
        using var project = ProjectWithNativeLibrary("native-pass");
        var properties = Submission.CloudProperties(TestEnvironment.Registry, TestEnvironment.BaseImageRepository, "native-pass").With(
            ("CustomAfterMicrosoftCommonTargets", Path.Combine(project.Directory, "native.targets")),
            ("ContainerBaseImage", TestEnvironment.BaseImageRepository + ":12.4.1-cudnn-runtime-ubuntu24.04"),
            ("VertexDryRun", "true"));

        var run = Submission.Publish(project, properties);

        run.Build.AssertSuccess();
        Assert.Contains(run.Build.VertexLines, l => l.StartsWith("VertexTraining: native compatibility:", StringComparison.Ordinal)
            && l.Contains("ubuntu24.04: they load", StringComparison.Ordinal));
    }

    /// <summary>HelloTrainer plus a native library built here, published next to the app through a standard import hook.</summary>
    private static TestProject ProjectWithNativeLibrary(string stem)
    {
        var project = TestProject.Create("HelloTrainer", stem);
        var native = Path.Combine(project.Directory, "native");
        var stdcxx = NativeToolchain.SharedLibrary(Path.Combine(native, "stand-in"), "libstdc++.so.6", "void vtx_gcc13_api(void) {}\n",
            soname: "libstdc++.so.6", versionScript: "GLIBCXX_3.4.32 { global: vtx_gcc13_api; local: *; };\n");
        var library = NativeToolchain.SharedLibrary(native, "libNeedsGcc13.so", "void vtx_gcc13_api(void);\nvoid uses_gcc13(void) { vtx_gcc13_api(); }\n", linkAgainst: stdcxx);
        File.WriteAllText(Path.Combine(project.Directory, "native.targets"), $"""
            <Project>
              <ItemGroup>
                <None Include="{library}" Link="runtimes/linux-x64/native/libNeedsGcc13.so" CopyToPublishDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);
        return project;
    }
}
