using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>VertexLocalVerbosity: a bad value stops the build with its code before anything is built.</summary>
public sealed class LocalVerbosityTests
{
    [Fact]
    public void A_verbosity_other_than_normal_or_detailed_stops_with_VTX5060_before_the_job_request_is_written()
    {
        using var project = TestProject.Create("HelloTrainer", "local-verbosity-bad");

        var build = project.Dotnet("publish", "-restore", "-t:SubmitTraining", "-p:VertexTarget=Local", "-p:VertexLocalMode=process",
            "-p:VertexLocalVerbosity=loud");

        Assert.False(build.Succeeded, build.Describe());
        var error = Assert.Single(build.Errors, e => e.Code == "VTX5060");
        Assert.StartsWith("VertexLocalVerbosity is 'loud'; valid values are normal ", error.Message, StringComparison.Ordinal);
        Assert.Contains("detailed", error.Message, StringComparison.Ordinal);
        Assert.Empty(project.FindFiles("job-request.json"));
    }
}
