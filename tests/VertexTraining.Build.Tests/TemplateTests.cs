using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using VertexTraining.Build.Tests.Infrastructure;
using VertexTraining.Testing.Fakes;

namespace VertexTraining.Build.Tests;

/// <summary>
/// `dotnet new install` of the packed VertexTraining.Templates into the run's own hive, then projects made by
/// `dotnet new vertex-trainer` and `dotnet new vertex-profile`, built and run unchanged as a user would.
/// </summary>
public sealed partial class TemplateTests : IDisposable
{
    private readonly List<TestProject> _projects = [];

    [Fact]
    public void Trainer_references_the_packed_packages_and_declares_a_GPU_job_and_a_tuning_study()
    {
        var project = NewTrainer("declared", "-n", "Declared", "--gpu", "T4");

        // Read with XDocument, not with anything of ours: what MSBuild and the IDE will read.
        var csproj = XDocument.Load(project.ProjectFile);
        var version = RepositoryLayout.Package.Version;
        Assert.Equal(version, PackageVersion(csproj, "VertexTraining.Build"));
        Assert.Equal(version, PackageVersion(csproj, "VertexTraining.Runtime"));
        Assert.Equal("n1-standard-8", Property(csproj, "VertexMachineType"));
        Assert.Equal("NVIDIA_TESLA_T4", Property(csproj, "VertexAcceleratorType"));
        Assert.Null(Property(csproj, "VertexProject")); // no project: the job runs on this machine
        Assert.Equal(["learning_rate", "epochs"], csproj.Descendants("VertexHyperparameter").Select(h => (string?)h.Attribute("Include")));
        Assert.Equal("Maximize", (string?)csproj.Descendants("VertexMetric").Single().Attribute("Goal"));

        var program = File.ReadAllText(Path.Combine(project.Directory, "Program.cs"));
        foreach (var call in new[] { "Hyperparameters.FromArgs(args)", "HyperTune.Report(\"accuracy\"", "checkpoints.TryLoadLatest()", "checkpoints.Save(", "env.StopRequested", "env.EnsureGpus()" })
        {
            Assert.Contains(call, program);
        }

        AssertPublishProfile(Path.Combine(project.Directory, "Properties", "PublishProfiles", "VertexTraining.pubxml"));
    }

    [Fact]
    public void Template_options_set_project_region_GPU_and_tuning()
    {
        var project = NewTrainer("options", "-n", "Options", "--gcp-project", "my-project", "--region", "europe-west4", "--repository", "models", "--gpu", "none", "--tuning", "false");

        var csproj = XDocument.Load(project.ProjectFile);
        Assert.Equal("my-project", Property(csproj, "VertexProject"));
        Assert.Equal("europe-west4", Property(csproj, "VertexRegion"));
        Assert.Equal("models", Property(csproj, "VertexArtifactRepository"));
        Assert.Equal("n1-standard-4", Property(csproj, "VertexMachineType"));
        Assert.Null(Property(csproj, "VertexAcceleratorType"));
        Assert.Empty(csproj.Descendants("VertexHyperparameter"));
        Assert.Null(Property(csproj, "VertexMaxTrialCount"));
    }

    [Fact]
    public void Trainer_runs_its_tuning_study_locally_with_SubmitTraining()
    {
        var project = NewTrainer("local-study", "-n", "LocalStudy");

        var build = project.Dotnet("publish", "-t:SubmitTraining", "-p:VertexLocalMode=process");

        build.AssertSuccess();
        Assert.Matches(JobSucceeded(), build.Output);
        var accuracies = TrialAccuracy().Matches(build.Output).Select(m => double.Parse(m.Groups["accuracy"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(accuracies.Count == 4, "Expected the 4 trials the template declares.\n" + build.Describe());
        // The classes overlap a little: a model that learned anything scores well above chance (0.5).
        Assert.All(accuracies, a => Assert.InRange(a, 0.8, 1.0));
        Assert.Contains("Best trial:", build.Output);
        // A study prints trial events, not its trials' own lines (VertexLocalVerbosity=detailed would stream them).
        Assert.DoesNotContain("[trial-", build.Output);
        // Every trial checkpointed through the runtime library (complete checkpoints carry their manifest).
        Assert.True(project.FindFiles(".checkpoint-manifest.json").Count >= 4, "Expected checkpoints from every trial.\n" + build.Describe());
    }

    [PodmanFact]
    public void Trainer_runs_in_a_container_on_the_CUDA_base_and_checkpoints()
    {
        TestEnvironment.RequirePodman();
        var project = NewTrainer("container", "-n", "InContainer", "--tuning", "false", "--gpu", "none");

        // The stand-in CUDA base, like nvidia/cuda, has no libssl: a checkpoint save that touched OpenSSL would kill the trainer (exit 139).
        // One layer: the packages' own layer is reused by version, and the tests pack every change as the same version.
        var build = project.Dotnet("publish", "-t:SubmitTraining", "-p:VertexLocalMode=container", "-p:VertexDisableRetries=true",
            "-p:VertexImageLayers=single", $"-p:VertexCudaImageRepository={TestEnvironment.BaseImageRepository}");

        build.AssertSuccess();
        Assert.Matches(JobSucceeded(), build.Output);
        Assert.Contains("(container mode)", build.Output);
        Assert.Contains("final accuracy", build.Output);
        Assert.NotEmpty(project.FindFiles(".checkpoint-manifest.json"));
    }

    [Fact]
    public void Project_publish_profile_submits_when_the_IDE_names_it_by_path()
    {
        // Visual Studio publishes a profile by setting WebPublishProfileFile, not PublishProfile=VertexTraining:
        // only the project's own .pubxml can ask for the submit then.
        var project = NewTrainer("ide-path", "-n", "IdePath", "--tuning", "false", "--gpu", "none");
        var profile = Path.Combine(project.Directory, "Properties", "PublishProfiles", "VertexTraining.pubxml");

        var build = project.Dotnet("publish", $"-p:WebPublishProfileFile={profile}", "-p:VertexLocalMode=process");

        build.AssertSuccess();
        Assert.Matches(JobSucceeded(), build.Output);
        Assert.Contains("final accuracy", build.Output);
    }

    [RegistryFact]
    public void Publish_profile_dry_run_writes_the_cloud_document_of_the_unchanged_project()
    {
        TestEnvironment.RequireRegistry();
        var project = NewTrainer("cloud-dry-run", "-n", "GpuTrainer", "--gcp-project", "my-project", "--region", "europe-west4", "--gpu", "A100");

        // Only the CUDA base comes from the loopback registry (Docker Hub is out of reach); the project is as created.
        var build = project.Dotnet("publish", "-p:PublishProfile=VertexTraining", "-p:VertexDryRun=true",
            $"-p:VertexCudaImageRepository={TestEnvironment.BaseImageRepository}");

        build.AssertSuccess();
        Assert.True(build.Warnings.Count == 0, "The dry run through the profile warned.\n" + build.Describe());
        var document = Json.ParseObject(project.VertexFile("job-request.json", build));
        var pool = Json.Required(document, "trialJobSpec.workerPoolSpecs[0]");
        Json.String(pool, "machineSpec.machineType", "a2-ultragpu-1g");
        Json.String(pool, "machineSpec.acceleratorType", "NVIDIA_A100_80GB");
        Json.Number(pool, "machineSpec.acceleratorCount", 1);
        Assert.Matches(@"^europe-west4-docker\.pkg\.dev/my-project/training/gputrainer@sha256:[0-9a-f]{64}$", Json.Required(pool, "containerSpec.imageUri").GetValue<string>());
        Json.String(document, "studySpec.metrics[0].metricId", "accuracy");
        Json.String(document, "studySpec.metrics[0].goal", "MAXIMIZE");
        Assert.Equal(["learning_rate", "epochs"], Json.Required(document, "studySpec.parameters").AsArray().Select(p => p!["parameterId"]!.GetValue<string>()));
        Json.Number(document, "maxTrialCount", 4);
        Assert.Contains(build.VertexLines, l => l.StartsWith("VertexTraining: dry run", StringComparison.Ordinal));
    }

    [RegistryFact]
    public async Task Publish_profile_submits_the_unchanged_project_to_Vertex()
    {
        TestEnvironment.RequireRegistry();
        await using var setup = await CloudSubmissionSetup.StartAsync();
        var project = NewTrainer("cloud-submit", "-n", "Submitted", "--gcp-project", FakeGoogleCloud.ProjectId, "--region", FakeGoogleCloud.Region);

        // As CloudSubmissionTests: the registry, the API endpoint and the key's token_uri are the loopback fakes.
        var run = Submission.Run(project, ["publish", "-p:PublishProfile=VertexTraining"], setup.Properties("template-submit"), setup.Environment);

        run.Build.AssertSuccess();
        var create = Assert.Single(setup.Cloud.Creates());
        Assert.Equal($"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/{FakeGoogleCloud.Region}/hyperparameterTuningJobs", create.Path);
        Json.Equal(run.Document.ToJsonString(), create.BodyWithoutSubmissionLabel(out _), "The POSTed body (without the submission label)");
        var job = Assert.Single(setup.Cloud.Jobs);
        Json.String(Json.ParseObject(project.VertexFile("submission.json", run.Build)), "name", job.Name);
        Assert.Contains($"VertexTraining: submitted {job.Name}", run.Build.VertexLines);
    }

    [Fact]
    public void Profile_template_adds_the_publish_profile_that_the_SDK_imports()
    {
        var project = TestProject.Create("HelloTrainer", "vertex-profile");
        _projects.Add(project);

        var created = TestProject.RunDotnetNew(["vertex-profile"], TemplatePackage.Hive, project.Directory);

        Assert.True(created.ExitCode == 0, created.Describe());
        var profile = Path.Combine(project.Directory, "Properties", "PublishProfiles", "VertexTraining.pubxml");
        AssertPublishProfile(profile);
        // The SDK imports Properties/PublishProfiles/<PublishProfile>.pubxml: the property it sets is visible.
        var evaluation = project.Dotnet("msbuild", "-p:PublishProfile=VertexTraining", "-getProperty:VertexSubmitOnPublish");
        Assert.True(evaluation.ExitCode == 0, evaluation.Describe());
        Assert.Equal("true", evaluation.Lines.Select(l => l.Trim()).Last(l => l.Length > 0));
    }

    public void Dispose()
    {
        foreach (var project in _projects)
        {
            project.Dispose();
        }
    }

    private TestProject NewTrainer(string stem, params string[] options)
    {
        var project = TestProject.FromTemplate("vertex-trainer", TemplatePackage.Hive, stem, options);
        _projects.Add(project);
        return project;
    }

    /// <summary>A FileSystem profile as Visual Studio writes one, which asks VertexTraining.Build to submit.</summary>
    private static void AssertPublishProfile(string path)
    {
        Assert.True(File.Exists(path), $"No {path}");
        var profile = XDocument.Load(path);
        Assert.Equal("Project", profile.Root!.Name.LocalName);
        Assert.Equal("FileSystem", Property(profile, "WebPublishMethod"));
        Assert.Equal("true", Property(profile, "VertexSubmitOnPublish"));
    }

    private static string? PackageVersion(XDocument project, string id) =>
        (string?)project.Descendants("PackageReference").SingleOrDefault(r => (string?)r.Attribute("Include") == id)?.Attribute("Version");

    private static string? Property(XDocument project, string name) =>
        project.Descendants("PropertyGroup").Elements(name).SingleOrDefault()?.Value;

    [GeneratedRegex(@"job local/\S+ SUCCEEDED")]
    private static partial Regex JobSucceeded();

    [GeneratedRegex(@"VertexTraining: trial \d+: finished, accuracy = (?<accuracy>[0-9.]+)")]
    private static partial Regex TrialAccuracy();
}
