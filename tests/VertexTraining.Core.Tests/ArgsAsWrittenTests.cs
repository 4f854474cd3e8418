using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Tests;

/// <summary>
/// The restoration of VertexArg items from the file that defined them. The item specs given here
/// are what MSBuild on Linux hands a task (checked end to end in the Build tests).
/// </summary>
public sealed class ArgsAsWrittenTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vertex-args-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Project(params string[] includes)
    {
        var path = Path.Combine(_folder, $"p{Directory.GetFiles(_folder).Length}.csproj");
        File.WriteAllText(path, $"<Project><ItemGroup>{string.Concat(includes.Select(i => $"<VertexArg Include=\"{i}\" />"))}</ItemGroup></Project>");
        return path;
    }

    [Fact]
    public void Backslashes_are_put_back_in_document_order_and_escapes_are_left_as_MSBuild_unescaped_them()
    {
        var file = Project(@"--regex=^\d+", @"a\b", "a/b", @"--nl=%5Cn");

        var (args, warnings) = ArgsAsWritten.Restore([("--regex=^/d+", file), ("a/b", file), ("a/b", file), (@"--nl=\n", file)]);

        Assert.Equal([@"--regex=^\d+", @"a\b", "a/b", @"--nl=\n"], args);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Items_built_from_properties_or_other_files_pass_through_unchanged()
    {
        var file = Project("$(Dir)\\x", @"lit\x");

        var (args, _) = ArgsAsWritten.Restore([("c:/d/x", file), ("kept/as/is", null), ("lit/x", file), ("lit/x", file)]);

        // The second lit/x has no literal left to match: MSBuild made it from something else.
        Assert.Equal(["c:/d/x", "kept/as/is", @"lit\x", "lit/x"], args);
    }

    [Fact]
    public void An_include_split_on_a_semicolon_is_reported_once_with_the_escape()
    {
        var file = Project("--a;--b", "--c=x%3By");

        var (args, warnings) = ArgsAsWritten.Restore([("--a", file), ("--b", file), ("--c=x;y", file)]);

        Assert.Equal(["--a", "--b", "--c=x;y"], args);
        var warning = Assert.Single(warnings);
        Assert.True(warning.IsWarning);
        Assert.Equal(DiagnosticCodes.ArgSplitOnSemicolon, warning.Code);
        Assert.Contains("'--a', '--b'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("%3B", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_defining_file_leaves_the_items_as_MSBuild_gave_them()
    {
        var broken = Path.Combine(_folder, "broken.csproj");
        File.WriteAllText(broken, "<Project><ItemGroup>");

        var (args, warnings) = ArgsAsWritten.Restore([("a/b", broken), ("c/d", Path.Combine(_folder, "missing.csproj"))]);

        Assert.Equal(["a/b", "c/d"], args);
        Assert.Empty(warnings);
    }
}
