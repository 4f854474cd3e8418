using VertexTraining.Build.Tests.Infrastructure;

namespace VertexTraining.Build.Tests;

/// <summary>A second SubmitTraining of a project while one runs is refused before it publishes anything.</summary>
public sealed class ProjectRunLockTests
{
    [Fact]
    public void A_second_run_of_the_same_project_is_refused_with_VTX2071_naming_the_first()
    {
        using var project = TestProject.Create("HelloTrainer", "run-lock");
        var restore = project.Dotnet("restore");
        restore.AssertSuccess();
        var folder = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "vertex");

        // The first run, as another build holds it: submit.lock open exclusively, its owner written beside it.
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "submit.lock.owner"), $"process {Environment.ProcessId}, since now");
        using (new FileStream(Path.Combine(folder, "submit.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var second = project.Dotnet("msbuild", "-t:SubmitTraining", "-p:VertexTarget=Local", "-p:VertexLocalMode=process");

            Assert.False(second.Succeeded, second.Describe());
            var error = Assert.Single(second.Errors, e => e.Code == "VTX2071");
            Assert.Contains($"process {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
            Assert.Empty(project.FindFiles("job-request.json"));
        }

        // Released (as when the first build ends or is killed): the next run goes through and leaves no lock behind.
        var third = project.Dotnet("msbuild", "-t:SubmitTraining", "-p:VertexTarget=Local", "-p:VertexLocalMode=process");
        third.AssertSuccess();
        Assert.False(File.Exists(Path.Combine(folder, "submit.lock")), third.Describe());
    }
}
