using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>
/// <c>submit [PROJECT] -p:...</c> runs <c>dotnet publish -t:SubmitTraining</c> (the target's single mapping),
/// streams its output and maps its result to our exit codes. A stand-in project defines the target.
/// </summary>
public sealed class PublishRunnerTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <OutputType>Exe</OutputType>
          </PropertyGroup>
          <Target Name="SubmitTraining">
            <Message Importance="high" Text="SubmitTraining saw VertexProject=$(VertexProject) VertexRegion=$(VertexRegion) VertexAcceleratorType=$(VertexAcceleratorType) VertexWait=$(VertexWait) VertexDryRun=$(VertexDryRun) VertexTarget=$(VertexTarget)" />
            <Error Condition="'$(FailWith)' != ''" Code="$(FailWith)" Text="Job projects/1/locations/us-central1/customJobs/2 ended CANCELLED" />
          </Target>
        </Project>
        """;

    [Fact]
    public async Task Runs_dotnet_publish_SubmitTraining_with_the_properties_and_maps_the_exit_code()
    {
        await using var cli = await CliHarness.StartAsync();
        var projectDirectory = cli.Temp.Combine("Trainer");
        cli.Temp.Write(Path.Combine("Trainer", "Trainer.csproj"), Project);
        cli.Temp.Write(Path.Combine("Trainer", "Program.cs"), "System.Console.WriteLine(42);");
        // Shield the stand-in from any Directory.Build.* above the temp folder.
        cli.Temp.Write("Directory.Build.props", "<Project />");
        cli.Temp.Write("Directory.Build.targets", "<Project />");

        var ok = await cli.RunAsync("submit", projectDirectory, "-p:VertexAcceleratorType=NVIDIA_L4", "--project", "my-proj", "--region", "europe-west4", "--wait", "--dry-run");
        var cancelled = await cli.RunAsync("submit", Path.Combine(projectDirectory, "Trainer.csproj"), "--property", $"FailWith={DiagnosticCodes.JobEndedCancelled}", "--local");

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("SubmitTraining saw VertexProject=my-proj VertexRegion=europe-west4 VertexAcceleratorType=NVIDIA_L4 VertexWait=true VertexDryRun=true VertexTarget=", ok.StdOut);
        Assert.True(cancelled.ExitCode == ExitCodes.JobCancelled, cancelled.ToString());
        Assert.Contains("VertexTarget=Local", cancelled.StdOut);
        Assert.Contains($"error {DiagnosticCodes.JobEndedCancelled}: Job projects/1/locations/us-central1/customJobs/2 ended CANCELLED", cancelled.StdOut);
    }

    [Fact]
    public void Arguments_put_every_property_behind_p()
    {
        Assert.Equal(["publish", "App.csproj", "-t:SubmitTraining", "-p:A=1", "-p:VertexWait=true"], PublishRunner.Arguments("App.csproj", ["A=1", "VertexWait=true"]));
        Assert.Equal(["publish", "-t:SubmitTraining"], PublishRunner.Arguments(null, []));
    }

    [Theory]
    [InlineData(0, new string[0], ExitCodes.Success)]
    [InlineData(1, new string[0], ExitCodes.ApiError)]
    [InlineData(1, new[] { "VTX1021" }, ExitCodes.BadConfiguration)]
    [InlineData(1, new[] { "VTX2003", "VTX3005" }, ExitCodes.ApiError)]
    [InlineData(1, new[] { "VTX3001" }, ExitCodes.AuthFailed)]
    [InlineData(1, new[] { "VTX4005" }, ExitCodes.ApiError)]
    [InlineData(1, new[] { "VTX4002", "VTX4020" }, ExitCodes.JobFailed)]
    [InlineData(1, new[] { "VTX4021" }, ExitCodes.JobCancelled)]
    [InlineData(1, new[] { "VTX5001" }, ExitCodes.LocalExecutionFailed)]
    public void Build_results_map_to_documented_exit_codes(int buildExitCode, string[] codes, int expected) =>
        Assert.Equal(expected, PublishRunner.ExitCodeFor(buildExitCode, codes));
}
