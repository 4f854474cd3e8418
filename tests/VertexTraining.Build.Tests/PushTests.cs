using System.Net;
using System.Text.Json.Nodes;
using VertexTraining.Build.Tests.Infrastructure;
using VertexTraining.Testing.Fakes;

namespace VertexTraining.Build.Tests;

/// <summary>
/// One `dotnet publish -t:SubmitTraining` of HelloTrainer that pushes to the plain local registry and
/// submits to <see cref="FakeGoogleCloud"/>, whose metadata server and Vertex AI API stand in for Google.
/// </summary>
public sealed class PushFixture : IAsyncLifetime
{
    private readonly Lazy<Submission> _submission;
    private TestProject? _project;

    public PushFixture()
    {
        _submission = new Lazy<Submission>(() =>
        {
            TestEnvironment.RequireRegistry();
            _project = TestProject.Create("HelloTrainer", "push");
            var properties = Submission.CloudProperties(TestEnvironment.Registry, TestEnvironment.BaseImageRepository, "push").With(
                ("VertexProject", FakeGoogleCloud.ProjectId),
                ("VertexJobDisplayName", "hello-push"),
                ("VertexAcceleratorType", "NVIDIA_TESLA_T4"),
                ("VertexArgs", "--epochs=3;--lr=0.1"));
            return Submission.Publish(_project, properties, Cloud.MetadataServerEnvironment());
        });
    }

    internal FakeGoogleCloud Cloud { get; private set; } = null!;

    internal Submission Submission => _submission.Value;

    public async Task InitializeAsync() => Cloud = await FakeGoogleCloudExtensions.StartWithMetadataServerAsync();

    public async Task DisposeAsync()
    {
        _project?.Dispose();
        await Cloud.DisposeAsync();
    }
}

public sealed class PushTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    [RegistryFact]
    public void Registry_holds_the_manifest_under_the_pinned_digest()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();
        var digest = run.PinnedDigest();

        using var registry = new RegistryClient(TestEnvironment.Registry);
        var (status, bytes, mediaType) = registry.GetManifest(run.Repository, digest);

        Assert.True(status == HttpStatusCode.OK, $"GET /v2/{run.Repository}/manifests/{digest} answered {(int)status}\n{run.Build.Describe()}");
        Assert.Equal(digest, RegistryClient.Digest(bytes));
        Assert.Contains(mediaType, new[] { "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json" });
        Assert.Equal($"{run.ImageName}@{digest}", run.ReportedImageUri);
        // A real push leaves no archive behind: the image went to the registry only.
        Assert.Empty(run.Project.VertexOutputFolders.SelectMany(f => Directory.GetFiles(f, "image.tar*")));
    }

    [RegistryFact]
    public void Pushed_image_has_the_CUDA_image_defaults()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();

        using var registry = new RegistryClient(TestEnvironment.Registry);
        var config = registry.GetImageConfig(run.Repository, run.PinnedDigest());

        Json.String(config, "architecture", "amd64");
        Json.String(config, "os", "linux");
        Json.String(config, "config.User", "1000");
        Json.String(config, "config.WorkingDir", "/app/");
        Json.Equal("""["/app/HelloTrainer"]""", Json.At(config, "config.Entrypoint"), "config.Entrypoint");
        var env = ImageEnvironment(config);
        Assert.Equal("12.4.1", env.GetValueOrDefault("CUDA_VERSION"));
        Assert.Equal("all", env.GetValueOrDefault("NVIDIA_VISIBLE_DEVICES"));
        Assert.Contains("/usr/local/nvidia/lib64", (env.GetValueOrDefault("LD_LIBRARY_PATH") ?? "").Split(':'));
        Assert.Contains("/usr/local/nvidia/bin", (env.GetValueOrDefault("PATH") ?? "").Split(':'));
    }

    [RegistryFact]
    public void Submit_posts_the_job_document_unchanged_and_records_the_job()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();
        var document = run.Document;

        var create = Assert.Single(fixture.Cloud.Creates());
        Assert.Equal($"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/us-central1/customJobs", create.Path);
        // The body is job-request.json as written; the CLI adds only its submission-id label.
        var body = create.BodyWithoutSubmissionLabel(out var submissionId);
        Assert.Matches("^[0-9a-f]{32}$", submissionId);
        Json.Equal(document.ToJsonString(), body, "The POSTed body (without the submission label)");

        var jobName = Assert.Single(fixture.Cloud.Jobs).Name;
        var submission = Json.ParseObject(run.Project.VertexFile("submission.json", run.Build));
        Json.String(submission, "name", jobName);
        Json.String(submission, "state", "JOB_STATE_PENDING");
        Json.String(submission, "imageDigest", run.PinnedDigest());
        Assert.Contains(run.Build.VertexLines, l => l.Contains(jobName, StringComparison.Ordinal));
    }

    [RegistryFact]
    public void Access_token_is_neither_printed_nor_in_the_binlog()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();
        // Two dotnet-vertex processes each get their own: the quota check before the push, and the submission.
        var tokens = fixture.Cloud.IssuedTokens();
        Assert.Equal(2, tokens.Count);
        foreach (var token in tokens)
        {
            Assert.Contains(fixture.Cloud.Requests, r => r.Header("Authorization") == $"Bearer {token}");
            Assert.DoesNotContain(token, run.Build.Output, StringComparison.Ordinal);
            Assert.False(Binlog.Contains(run.Build.BinlogPath, token), $"The access token is in {run.Build.BinlogPath}");
        }
    }

    [PodmanFact]
    public void Podman_runs_the_pushed_image_with_the_documents_args()
    {
        TestEnvironment.RequirePodman();
        var run = fixture.Submission;
        run.Build.AssertSuccess();
        var pool = Json.Required(run.Document, "jobSpec.workerPoolSpecs[0].containerSpec");
        var image = pool["imageUri"]!.GetValue<string>();
        var args = pool["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

        try
        {
            var result = Podman.Run(image, args);

            var lines = result.Output.Split('\n').Select(l => l.Trim()).ToList();
            var story = $"`{result.CommandLine}` exited with {result.ExitCode}:\n{result.Output}";
            Assert.True(result.ExitCode == 0, story);
            Assert.Contains($"args=[{string.Join(",", args)}]", lines);
            Assert.Contains("env CUDA_VERSION=12.4.1", lines);
            Assert.Contains("cwd=/app", lines);
            Assert.Contains("cwd-writable=true", lines);
            var uid = lines.Single(l => l.StartsWith("uid=", StringComparison.Ordinal))["uid=".Length..];
            Assert.True(int.TryParse(uid, out var id) && id != 0, $"The app must run as a non-root user; it ran as uid '{uid}'.\n{story}");
        }
        finally
        {
            Podman.Remove(image);
        }
    }

    private static Dictionary<string, string> ImageEnvironment(JsonObject config) =>
        (Json.At(config, "config.Env") as JsonArray ?? [])
            .Select(e => e!.GetValue<string>().Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
}
