using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Local.Tests;

/// <summary>The tool's answers when the run cannot go ahead, and how it picks the mode, checked on the real executable.</summary>
[Collection(LocalRunCollection.Name)]
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new("cli");
    private readonly string _emptyPath;

    public CommandLineTests()
    {
        _emptyPath = _temp.Combine("empty-path");
        Directory.CreateDirectory(_emptyPath);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_missing_or_malformed_request_is_a_configuration_error()
    {
        var cli = new Cli(_temp.Combine("index"), _emptyPath);

        var missing = await cli.RunAsync(Timeout, "local-run", "--request", _temp.Combine("nope.json"), "--app", "/bin/true");
        File.WriteAllText(_temp.Combine("bad.json"), "{ not json");
        var malformed = await cli.RunAsync(Timeout, "local-run", "--request", _temp.Combine("bad.json"), "--app", "/bin/true");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"VertexTraining : error {DiagnosticCodes.LocalRequestUnreadable}: The job document {_temp.Combine("nope.json")} cannot be read", missing.Error);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains(DiagnosticCodes.LocalRequestUnreadable, malformed.Error);
    }

    [Fact]
    public async Task Without_an_app_or_an_engine_nothing_can_run_and_the_job_records_why()
    {
        var cli = new Cli(_temp.Combine("index"), _emptyPath);
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1))).Save(_temp.Path);

        var noApp = await cli.RunAsync(Timeout, "local-run", "--request", request, "--image-archive", _temp.Combine("image.tar.gz"));
        var noEngine = await cli.RunAsync(Timeout, "local-run", "--request", request, "--image-archive", _temp.Combine("image.tar.gz"), "--mode", "container");
        var processWithoutApp = await cli.RunAsync(Timeout, "local-run", "--request", request, "--mode", "process");

        Assert.Equal(2, noApp.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.LocalNoWayToRun}: Nothing to run: no usable container engine (neither podman nor docker is on PATH), and no published app was given (--app).", noApp.Error);
        Assert.Equal("JOB_STATE_FAILED", RunAssertions.Job(cli, noApp.Output).State);
        Assert.Equal(6, noEngine.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.ContainerEngineUnavailable}: Container mode needs podman or docker, and none is usable", noEngine.Error);
        Assert.Equal(2, processWithoutApp.ExitCode);
        Assert.Contains(DiagnosticCodes.LocalNoWayToRun, processWithoutApp.Error);
    }

    [Fact]
    public async Task A_docker_client_without_a_daemon_is_not_a_usable_engine_so_auto_runs_processes()
    {
        var fakeBin = _temp.Combine("fake-docker");
        Directory.CreateDirectory(fakeBin);
        var docker = Path.Combine(fakeBin, "docker");
        File.WriteAllText(docker, "#!/bin/sh\necho 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2\nexit 1\n");
        File.SetUnixFileMode(docker, (UnixFileMode)0b111_101_101);
        var cli = new Cli(_temp.Combine("index"), fakeBin);
        var request = JobDocs.Custom(JobDocs.Spec(JobDocs.Pool(1, "--probe=info"))).Save(_temp.Path);

        var result = await cli.RunAsync(Timeout, "local-run", "--request", request, "--app", await ProbeApp.AppAsync(), "--image-archive", _temp.Combine("image.tar.gz"));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("mode: process, because no usable container engine: docker is on PATH but not usable (docker info: Cannot connect to the Docker daemon", result.Output);
    }

    [Fact]
    public async Task Without_a_request_the_project_is_published_with_the_local_target()
    {
        // A stand-in for dotnet that records its arguments: the publish itself belongs to the MSBuild targets.
        var fakeDotnet = _temp.Combine("dotnet");
        var recorded = _temp.Combine("args.txt");
        File.WriteAllText(fakeDotnet, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{recorded}'\necho published\nexit 0\n");
        File.SetUnixFileMode(fakeDotnet, (UnixFileMode)0b111_101_101);
        var cli = new Cli(_temp.Combine("index"), _emptyPath).With("DOTNET_HOST_PATH", fakeDotnet);

        var result = await cli.RunAsync(Timeout, "local-run", "src/Trainer/Trainer.csproj", "-p:VertexMaxTrialCount=4", "-p", "VertexParallelTrialCount=2", "--mode", "process",
            "--seed", "7", "--gpus", "all", "--run-dir", "/tmp/run-x");
        var json = await cli.RunAsync(Timeout, "local-run", "src/Trainer/Trainer.csproj", "--json");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("published", result.Output);
        Assert.Equal(
            ["publish", "src/Trainer/Trainer.csproj", "-t:SubmitTraining", "-p:VertexMaxTrialCount=4", "-p:VertexParallelTrialCount=2", "-p:VertexTarget=Local", "-p:VertexLocalMode=process",
             "-p:VertexLocalGpus=all", "-p:VertexLocalSeed=7", "-p:VertexLocalRunDirectory=/tmp/run-x"],
            File.ReadAllLines(recorded));
        // --json has no record to print when the build runs the job: refused, not ignored.
        Assert.True(json.ExitCode == 2, json.All);
        Assert.Contains("error VTX1016: --json needs --request", json.Error);
    }

    [Fact]
    public async Task Resume_and_warm_start_travel_to_the_publish_as_their_properties()
    {
        var fakeDotnet = _temp.Combine("dotnet");
        var recorded = _temp.Combine("args.txt");
        File.WriteAllText(fakeDotnet, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{recorded}'\nexit 0\n");
        File.SetUnixFileMode(fakeDotnet, (UnixFileMode)0b111_101_101);
        var cli = new Cli(_temp.Combine("index"), _emptyPath).With("DOTNET_HOST_PATH", fakeDotnet);

        var result = await cli.RunAsync(Timeout, "local-run", "src/Trainer/Trainer.csproj", "--resume", "local/20261204-213000-1a2b",
            "--warm-start", "local/20261203-101500-9f3e", "--warm-start", "local/20261203-111500-0c0d");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(
            ["publish", "src/Trainer/Trainer.csproj", "-t:SubmitTraining", "-p:VertexTarget=Local", "-p:VertexResume=local/20261204-213000-1a2b",
                "-p:VertexTuningWarmStart=local/20261203-101500-9f3e%3Blocal/20261203-111500-0c0d"],
            File.ReadAllLines(recorded));
    }
}
