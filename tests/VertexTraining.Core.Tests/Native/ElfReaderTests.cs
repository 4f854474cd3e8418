using VertexTraining.Core.Native;

namespace VertexTraining.Core.Tests.Native;

public sealed class ElfReaderTests(NativeLibraryFixture fixture) : IClassFixture<NativeLibraryFixture>
{
    /// <summary>Libraries built here, and real ones from this machine and the NuGet cache.</summary>
    public static TheoryData<string> RealLibraries()
    {
        var data = new TheoryData<string> { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6" };
        var runtimePacks = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget/packages/microsoft.netcore.app.runtime.linux-x64");
        if (Directory.Exists(runtimePacks))
        {
            foreach (var library in Directory.EnumerateFiles(runtimePacks, "*.so", SearchOption.AllDirectories).Order().Take(8))
            {
                data.Add(library);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RealLibraries))]
    public void Reads_what_readelf_reads_from_real_libraries(string path)
    {
        Assert.NotEmpty(ReadElfOutput.Parse(NativeToolchain.ReadElf(path)).VersionNeeds);
        AssertSameAsReadElf(path);
    }

    [Fact]
    public void Reads_what_readelf_reads_from_libraries_built_against_stand_ins()
    {
        foreach (var path in new[] { fixture.NeedsGlibcxx32, fixture.NeedsGlibcxx30, fixture.NeedsCudnn, fixture.NeedsCudart, fixture.CudartStandIn })
        {
            AssertSameAsReadElf(path);
        }

        var library = ElfReader.Read(fixture.NeedsGlibcxx32).Library!;
        Assert.Contains("libstdc++.so.6", library.Needed);
        Assert.Contains(new VersionNeed("libstdc++.so.6", "GLIBCXX_3.4.32"), library.VersionNeeds);
        Assert.Equal("libcudart.so.12", ElfReader.Read(fixture.CudartStandIn).Library!.Soname);
    }

    [Fact]
    public void A_file_without_the_ELF_magic_is_not_native()
    {
        var path = Path.Combine(fixture.Root, "App.dll");
        File.WriteAllText(path, "MZ, a managed assembly");

        var read = ElfReader.Read(path);

        Assert.False(read.IsElf);
        Assert.Null(read.Library);
    }

    [Theory]
    [InlineData(4, 1, "32-bit")]
    [InlineData(18, 183, "ELF machine 183")]
    public void An_ELF_file_for_another_architecture_is_skipped_with_the_reason(int offset, byte value, string reason)
    {
        var path = Path.Combine(fixture.Root, $"other-{offset}.so");
        var bytes = File.ReadAllBytes(fixture.NeedsCudart);
        bytes[offset] = value;
        File.WriteAllBytes(path, bytes);

        var read = ElfReader.Read(path);

        Assert.True(read.IsElf);
        Assert.Null(read.Library);
        Assert.Contains(reason, read.SkipReason);
    }

    [Fact]
    public void A_truncated_library_is_skipped_with_the_reason()
    {
        var path = Path.Combine(fixture.Root, "truncated.so");
        File.WriteAllBytes(path, File.ReadAllBytes(fixture.NeedsCudart)[..4096]);

        var read = ElfReader.Read(path);

        Assert.True(read.IsElf);
        Assert.Null(read.Library);
        Assert.Contains("outside", read.SkipReason);
    }

    private static void AssertSameAsReadElf(string path)
    {
        var expected = ReadElfOutput.Parse(NativeToolchain.ReadElf(path));
        var read = ElfReader.Read(path);

        Assert.True(read.Library is not null, $"{path}: {read.SkipReason}");
        Assert.Equal(expected.Soname, read.Library.Soname);
        Assert.Equal(expected.Needed, read.Library.Needed);
        Assert.Equal(expected.VersionNeeds, read.Library.VersionNeeds);
        Assert.Equal(expected.VersionDefinitions, read.Library.VersionDefinitions);
    }
}
