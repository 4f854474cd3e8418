using System.Text.Json.Nodes;
using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>
/// VertexArg items reach the trainer byte for byte as written, although MSBuild on Linux turns
/// every '\' of an item's Include into '/', and a ';' that splits an Include is reported. What the
/// trainer prints is data: a line that looks like an MSBuild error does not fail the build.
/// </summary>
public sealed class ArgsAsWrittenTests
{
    [Fact]
    public void A_local_run_through_the_build_gets_its_args_as_written_its_run_options_and_keeps_the_trainers_output_as_data()
    {
        using var project = TestProject.Create("HelloTrainer", "args-as-written");
        // One item in the project file itself, the others in an imported file, as MSBuild allows.
        var xml = File.ReadAllText(project.ProjectFile).Replace(
            "</Project>",
            "  <ItemGroup>\n    <VertexArg Include=\"--regex=^\\d+\\.\\w\" />\n  </ItemGroup>\n</Project>");
        File.WriteAllText(project.ProjectFile, xml);
        var itemsFile = Path.Combine(project.Directory, "args.targets");
        File.WriteAllText(itemsFile, """
            <Project>
              <ItemGroup>
                <VertexArg Include="C:\data\train" />
                <VertexArg Include="--sep=a%3Bb" />
                <VertexArg Include="--keep=%5Cn" />
                <VertexArg Include="--p;--q" />
                <VertexArg Include="x.csv : error VTX1001: printed by the trainer" />
              </ItemGroup>
            </Project>
            """);

        var runFolder = Path.Combine(project.Directory, "my-run");
        var build = project.Dotnet(
            "publish", "-restore", "-t:SubmitTraining", "-p:VertexTarget=Local", "-p:VertexLocalMode=process",
            $"-p:CustomAfterMicrosoftCommonTargets={itemsFile}", $"-p:VertexLocalRunDirectory={runFolder}", "-p:VertexLocalGpus=none");

        // HelloTrainer prints its args: the line holds a canonical error, which must not fail the build.
        build.AssertSuccess();
        // MSBuild would have logged it as an error event, printed with the project's name appended.
        Assert.DoesNotContain(build.Lines, l => l.Contains("error VTX1001", StringComparison.Ordinal) && l.TrimEnd().EndsWith(".csproj]", StringComparison.Ordinal));
        string[] expected = [@"--regex=^\d+\.\w", @"C:\data\train", "--sep=a;b", @"--keep=\n", "--p", "--q", "x.csv : error VTX1001: printed by the trainer"];
        Assert.Contains($"args=[{string.Join(",", expected)}]", build.Lines.Select(l => l.Trim()).Select(l => l[(l.IndexOf("args=[", StringComparison.Ordinal) is var i and >= 0 ? i : 0)..]));
        var document = Json.ParseObject(project.VertexFile("job-request.json", build));
        var args = (JsonArray)Json.At(document, "jobSpec.workerPoolSpecs[0].containerSpec.args")!;
        Assert.Equal(expected, args.Select(a => a!.GetValue<string>()));
        // The run's options reach local-run through their properties.
        Assert.True(File.Exists(Path.Combine(runFolder, "job.json")), build.Describe());
        var warning = Assert.Single(build.Warnings, w => w.Code == "VTX1120");
        Assert.Contains("--p;--q", warning.Message, StringComparison.Ordinal);
        Assert.Contains("%3B", warning.Message, StringComparison.Ordinal);
    }
}
