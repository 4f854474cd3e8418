using System.IO.Compression;
using System.Xml.Linq;
using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>The exact shape of the VertexTraining.Build package users install.</summary>
public sealed class PackageContentsTests
{
    /// <summary>
    /// Every file of the package. Update this one list when the package gains or loses a file on purpose.
    /// The CLI (run out of process by the targets) ships as a framework-dependent app under tools/cli/:
    /// no apphost (the targets start it with `dotnet`), no XML docs, satellite assemblies in their
    /// culture folder.
    /// </summary>
    private static readonly string[] ExpectedFiles =
    [
        "VertexTraining.Build.nuspec",
        "build/VertexTraining.Build.Layers.targets",
        "build/VertexTraining.Build.ImageRestore.props",
        "build/VertexTraining.Build.props",
        "build/VertexTraining.Build.targets",
        "tasks/net8.0/NuGet.Versioning.dll",
        "tasks/net8.0/VertexTraining.Build.dll",
        "tasks/net8.0/VertexTraining.Core.dll",
        "tools/cli/dotnet-vertex.deps.json",
        "tools/cli/dotnet-vertex.dll",
        "tools/cli/dotnet-vertex.runtimeconfig.json",
        "tools/cli/Google.Apis.Auth.dll",
        "tools/cli/Google.Apis.Core.dll",
        "tools/cli/Google.Apis.dll",
        "tools/cli/Newtonsoft.Json.dll",
        "tools/cli/NuGet.Versioning.dll",
        "tools/cli/System.CodeDom.dll",
        "tools/cli/System.CommandLine.dll",
        "tools/cli/System.Management.dll",
        "tools/cli/runtimes/win/lib/net7.0/System.Management.dll",
        "tools/cli/VertexTraining.Core.dll",
        .. new[] { "cs", "de", "es", "fr", "it", "ja", "ko", "pl", "pt-BR", "ru", "tr", "zh-Hans", "zh-Hant" }
            .Select(culture => $"tools/cli/{culture}/System.CommandLine.resources.dll"),
    ];

    [Fact]
    public void Package_contains_exactly_the_expected_files()
    {
        using var zip = ZipFile.OpenRead(RepositoryLayout.Package.Path);

        var files = zip.Entries
            .Select(e => e.FullName)
            .Where(name => !name.StartsWith("_rels/", StringComparison.Ordinal)
                && !name.StartsWith("package/services/", StringComparison.Ordinal)
                && name != "[Content_Types].xml")
            .Order(StringComparer.Ordinal)
            .ToList();

        var expected = ExpectedFiles.Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(files),
            $"The package's files differ from the expected list.\nmissing: {string.Join(", ", expected.Except(files))}\nunexpected: {string.Join(", ", files.Except(expected))}");
    }

    [Fact]
    public void Package_has_no_buildTransitive_folder()
    {
        using var zip = ZipFile.OpenRead(RepositoryLayout.Package.Path);

        // A job must never be submitted from a project that merely references one that uses us.
        Assert.DoesNotContain(zip.Entries, e => e.FullName.StartsWith("buildTransitive/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(zip.Entries, e => e.FullName.StartsWith("buildMultiTargeting/", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Nuspec_marks_a_development_dependency_without_dependencies()
    {
        using var zip = ZipFile.OpenRead(RepositoryLayout.Package.Path);
        using var stream = zip.GetEntry("VertexTraining.Build.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");

        Assert.Equal("VertexTraining.Build", metadata.Elements().Single(e => e.Name.LocalName == "id").Value);
        Assert.Equal(RepositoryLayout.Package.Version, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
        Assert.Equal("true", metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "developmentDependency")?.Value);
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName is "dependencies" or "frameworkReferences" or "frameworkAssemblies");
    }
}
