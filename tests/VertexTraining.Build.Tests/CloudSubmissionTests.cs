using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using VertexTraining.Build.Tests.Infrastructure;
using VertexTraining.Testing.Fakes;

namespace VertexTraining.Build.Tests;

/// <summary>
/// Real submissions through MSBuild, configured as in production but for two things: the build property
/// VertexApiEndpoint and the token_uri of the service account key, both pointing at the fake Google
/// Cloud on loopback. The key is found as in production (GOOGLE_APPLICATION_CREDENTIALS), the image is
/// pushed to the htpasswd registry as oauth2accesstoken with the access token the fake issued (its
/// password), and the CLI POSTs the job document to the fake's Vertex AI API. The environment's
/// VERTEX_API_ENDPOINT stays at a closed port (TestProject), so only the property can route the API
/// calls; Cloud Logging, read by VertexWait only, is reached through VERTEX_LOGGING_ENDPOINT.
/// </summary>
internal sealed class CloudSubmissionSetup : IAsyncDisposable
{
    private readonly TempDirectory _credentials;
    private readonly List<TestProject> _projects = [];

    private CloudSubmissionSetup(FakeGoogleCloud cloud, TempDirectory credentials)
    {
        Cloud = cloud;
        _credentials = credentials;
        KeyFile = TestCredentials.ServiceAccount(cloud, credentials);
        // The htpasswd registry accepts oauth2accesstoken with this password, as Artifact Registry
        // accepts an access token: so every token the fake issues is exactly that value.
        Cloud.OAuth.NextToken = Token;
    }

    /// <summary>The access token every grant gets: the htpasswd registry's password.</summary>
    public static string Token => TestEnvironment.AuthPassword;

    public FakeGoogleCloud Cloud { get; }

    /// <summary>The service account key file; its token_uri is the fake's token endpoint.</summary>
    public string KeyFile { get; }

    /// <summary>What the build's child processes get on top of TestProject's clean environment.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["GOOGLE_APPLICATION_CREDENTIALS"] = KeyFile,
        ["VERTEX_LOGGING_ENDPOINT"] = Cloud.BaseUrl(),
        ["VERTEX_QUOTA_ENDPOINT"] = Cloud.BaseUrl(),
        // The token may reach the build only through the token endpoint; inherited from the test
        // host, -v:diag would print it from the build's environment.
        ["VERTEX_TEST_AUTH_PASSWORD"] = null,
    };

    public static async Task<CloudSubmissionSetup> StartAsync() => new(await FakeGoogleCloud.StartAsync(), new TempDirectory());

    /// <summary>A Cloud job of <paramref name="stem"/>'s own repository in the htpasswd registry, on the stand-in CUDA base from the plain one.</summary>
    public BuildProperties Properties(string stem) =>
        Submission.CloudProperties(TestEnvironment.AuthRegistry, TestEnvironment.BaseImageRepository, stem).With(
            ("VertexProject", FakeGoogleCloud.ProjectId),
            ("VertexRegion", FakeGoogleCloud.Region),
            ("VertexRegistryAuth", "Google"),
            ("VertexApiEndpoint", Cloud.BaseUrl()));

    /// <summary>`dotnet publish -t:SubmitTraining [extra switches]` of a fresh copy of <paramref name="asset"/>.</summary>
    public Submission Publish(string asset, string stem, BuildProperties? properties = null, params string[] switches)
    {
        var project = TestProject.Create(asset, stem);
        _projects.Add(project);
        return Submission.Run(project, ["publish", "-t:SubmitTraining", .. switches], properties ?? Properties(stem), Environment);
    }

    /// <summary>
    /// Publishes while scripting the job the build creates as soon as it exists: the CLI polls it first
    /// a poll interval (10 s) after the create, so the script is in place before its first GET.
    /// </summary>
    public async Task<(Submission Run, FakeJob? Job)> PublishScriptedAsync(string asset, string stem, BuildProperties properties, params JobStep[] steps)
    {
        using var stop = new CancellationTokenSource();
        var scripting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (Cloud.Jobs.FirstOrDefault() is { } job)
                {
                    job.Script(steps);
                    return job;
                }

                await Task.Delay(10, CancellationToken.None);
            }

            return null;
        });
        var run = await Task.Run(() => Publish(asset, stem, properties));
        await stop.CancelAsync();
        return (run, await scripting);
    }

    /// <summary>The job's page, as VERTEX_API.md §8 documents it.</summary>
    public static string ConsoleUrl(FakeJob job) =>
        $"https://console.cloud.google.com/ai/platform/locations/{job.Location}/training/{job.Id}?project={FakeGoogleCloud.ProjectId}";

    public async ValueTask DisposeAsync()
    {
        foreach (var project in _projects)
        {
            project.Dispose();
        }

        _credentials.Dispose();
        await Cloud.DisposeAsync();
    }
}

/// <summary>
/// One submission built with -v:diag and a binlog while the process table is watched, shared by the
/// tests of what it did (push, token, request) and of what it must not have left anywhere (the token).
/// </summary>
public sealed class CloudSubmissionFixture : IAsyncLifetime
{
    private readonly Lazy<Submission> _submission;

    public CloudSubmissionFixture()
    {
        _submission = new Lazy<Submission>(() =>
        {
            TestEnvironment.RequireRegistry();
            using var recorder = new ProcessListingRecorder(TimeSpan.FromMilliseconds(20));
            var run = Setup.Publish("HelloTrainer", "cloud-submit", null, "-v:diag");
            recorder.Stop();
            CommandLines = recorder.CommandLines;
            ProcessTableSamples = recorder.Samples;
            return run;
        });
    }

    internal CloudSubmissionSetup Setup { get; private set; } = null!;

    internal Submission Submission => _submission.Value;

    /// <summary>Every command line of this test host's descendants seen during the build.</summary>
    internal IReadOnlyList<string> CommandLines { get; private set; } = [];

    internal int ProcessTableSamples { get; private set; }

    public async Task InitializeAsync() => Setup = await CloudSubmissionSetup.StartAsync();

    public async Task DisposeAsync() => await Setup.DisposeAsync();
}

/// <summary>`dotnet publish -t:SubmitTraining` against the fake Google Cloud: what reaches the registry and the API.</summary>
public sealed partial class CloudSubmissionTests(CloudSubmissionFixture fixture, ITestOutputHelper output) : IClassFixture<CloudSubmissionFixture>
{
    private FakeGoogleCloud Cloud => fixture.Setup.Cloud;

    [RegistryFact]
    public void Image_is_pushed_with_the_ADC_token_and_pinned_by_digest()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();
        var digest = run.PinnedDigest();

        using var registry = new RegistryClient(TestEnvironment.AuthRegistry, TestEnvironment.AuthUser, TestEnvironment.AuthPassword);
        var (status, bytes, _) = registry.GetManifest(run.Repository, digest);

        Assert.True(status == HttpStatusCode.OK, $"GET /v2/{run.Repository}/manifests/{digest} on {TestEnvironment.AuthRegistry} answered {(int)status}\n{run.Build.Describe()}");
        Assert.Equal(digest, RegistryClient.Digest(bytes));
        Assert.Equal($"{run.ImageName}@{digest}", run.ReportedImageUri);
        // The push could only authenticate with a token from the fake's token endpoint: no other credential was given.
        Assert.Equal([CloudSubmissionSetup.Token], Cloud.IssuedTokens());
    }

    [RegistryFact]
    public void Token_comes_from_a_verified_service_account_assertion()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();

        var tokenRequests = Cloud.Requests.Where(r => r.Path == "/token").ToList();
        Assert.NotEmpty(tokenRequests);
        foreach (var request in tokenRequests)
        {
            Assert.Equal("POST", request.Method);
            var form = QueryHelpers.ParseQuery(request.Body);
            Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"].ToString());
            var payload = JwtPayload(form["assertion"].ToString());
            Json.String(payload, "iss", TestCredentials.ServiceAccountEmail);
        }

        // The fake issues a token only for an assertion whose signature verifies with the key's public half.
        var issued = Assert.Single(Cloud.OAuth.IssuedTokens);
        Assert.Equal(CloudSubmissionSetup.Token, issued.Key);
        Assert.Equal($"service_account:{TestCredentials.ServiceAccountEmail}", issued.Value);
    }

    [RegistryFact]
    public void Job_document_is_posted_once_unchanged_but_for_the_submission_label()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();

        var create = Assert.Single(Cloud.Creates());
        Assert.Equal($"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/us-central1/customJobs", create.Path);
        Assert.Equal($"Bearer {CloudSubmissionSetup.Token}", create.Header("Authorization"));
        var body = create.BodyWithoutSubmissionLabel(out var submissionId);
        Assert.Matches("^[0-9a-f]{32}$", submissionId);
        Json.Equal(run.Document.ToJsonString(), body, "The POSTed body (without the submission label)");

        var job = Assert.Single(Cloud.Jobs);
        Assert.Equal(submissionId, job.Resource["labels"]?[FakeGoogleCloudExtensions.SubmissionLabel]?.GetValue<string>());
        // Every Vertex AI call went to VertexApiEndpoint, with the token.
        Assert.All(Cloud.Requests.Where(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)),
            r => Assert.Equal($"Bearer {CloudSubmissionSetup.Token}", r.Header("Authorization")));
    }

    [RegistryFact]
    public void Job_name_and_console_url_are_printed_recorded_and_set_as_properties()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();
        var job = Assert.Single(Cloud.Jobs);
        var consoleUrl = CloudSubmissionSetup.ConsoleUrl(job);

        // -v:diag ends each message of a task with " (TaskId:N)".
        var lines = run.Build.Lines.Select(l => DiagnosticSuffix().Replace(l.Trim(), "")).ToList();
        Assert.Contains($"VertexTraining: submitted {job.Name}", lines);
        Assert.Contains($"VertexTraining: console {consoleUrl}", lines);

        var submission = Json.ParseObject(run.Project.VertexFile("submission.json", run.Build));
        Json.String(submission, "name", job.Name);
        Json.String(submission, "consoleUrl", consoleUrl);
        Json.String(submission, "state", "JOB_STATE_PENDING");
        Json.String(submission, "imageUri", $"{run.ImageName}@{run.PinnedDigest()}");
        Json.String(submission, "imageDigest", run.PinnedDigest());
        Json.String(submission, "kind", "CustomJob");
        Json.String(submission, "submissionId", job.Resource["labels"]![FakeGoogleCloudExtensions.SubmissionLabel]!.GetValue<string>());

        // -v:diag logs every task output, MSBuild-escaped: the targets set VertexJobName and VertexJobConsoleUrl from submission.json.
        var outputs = lines.Where(l => l.StartsWith("Output Property: VertexJob", StringComparison.Ordinal))
            .Select(l => Uri.UnescapeDataString(l["Output Property: ".Length..])).ToList();
        Assert.Contains($"VertexJobName={job.Name}", outputs);
        Assert.Contains($"VertexJobConsoleUrl={consoleUrl}", outputs);
    }

    [RegistryFact]
    public void Access_token_is_in_no_output_binlog_file_or_process_listing()
    {
        var run = fixture.Submission;
        run.Build.AssertSuccess();
        var job = Assert.Single(Cloud.Jobs);
        var secrets = Secrets();
        // Positive control: each search below finds the job's name, which the build did record.
        var control = job.Name;

        Assert.Contains(control, run.Build.Output, StringComparison.Ordinal);
        foreach (var (what, secret) in secrets)
        {
            Assert.False(run.Build.Output.Contains(secret, StringComparison.Ordinal), $"The {what} is in the -v:diag console output.");
        }

        Assert.True(Binlog.Contains(run.Build.BinlogPath, control), $"Control: the job name is not in the decompressed binlog {run.Build.BinlogPath}.");
        foreach (var (what, secret) in secrets)
        {
            Assert.False(Binlog.Contains(run.Build.BinlogPath, secret), $"The {what} is in the binlog {run.Build.BinlogPath}.");
        }

        var replay = ProcessRunner.Run("dotnet", ["msbuild", run.Build.BinlogPath, "-v:diag", "-tl:off", "-nologo"], run.Project.Directory, TimeSpan.FromMinutes(5));
        Assert.True(replay.ExitCode == 0 && replay.Output.Contains(control, StringComparison.Ordinal),
            $"Control: `{replay.CommandLine}` exited with {replay.ExitCode} and did not print the job name.\n{Tail(replay.Output)}");
        foreach (var (what, secret) in secrets)
        {
            Assert.False(replay.Output.Contains(secret, StringComparison.Ordinal), $"The {what} is in the binlog's replay (`{replay.CommandLine}`).");
        }

        var folders = new[] { run.Project.Directory, TestRun.DockerConfigFolder, TestRun.GcloudConfigFolder };
        var files = folders.SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories)).ToList();
        Assert.Contains(files, f => FileContains(f, control));
        foreach (var (what, secret) in secrets)
        {
            var holding = files.Where(f => FileContains(f, secret)).ToList();
            Assert.True(holding.Count == 0, $"The {what} is in {string.Join(", ", holding)}.");
        }

        // The recorder saw the short-lived CLI processes that fetched the token and submitted the job.
        var commandLines = fixture.CommandLines;
        var listing = $"{commandLines.Count} command lines in {fixture.ProcessTableSamples} samples:\n{string.Join("\n", commandLines)}";
        output.WriteLine($"Searched for {secrets.Count} secrets: {run.Build.Output.Length} chars of console output, the binlog and {replay.Output.Length} chars of its replay, {files.Count} files, {commandLines.Count} command lines in {fixture.ProcessTableSamples} samples of the process table.");
        Assert.Contains(commandLines, c => c.Contains("auth print-access-token", StringComparison.Ordinal));
        Assert.Contains(commandLines, c => c.Contains(" submit --request ", StringComparison.Ordinal));
        foreach (var (what, secret) in secrets)
        {
            Assert.False(commandLines.Any(c => c.Contains(secret, StringComparison.Ordinal)), $"The {what} is on a command line. {listing}");
        }

        // Nor is the token a task parameter or a property: the binlog holds all of those, and it was searched above.
    }

    /// <summary>Every issued token, every signed assertion that got one, and a line of the service account's private key.</summary>
    private List<(string What, string Value)> Secrets()
    {
        var secrets = Cloud.IssuedTokens().Select(t => ("access token", t)).ToList();
        Assert.Contains(("access token", CloudSubmissionSetup.Token), secrets);
        secrets.AddRange(Cloud.Requests.Where(r => r.Path == "/token")
            .Select(r => ("signed JWT assertion", QueryHelpers.ParseQuery(r.Body)["assertion"].ToString())));
        var key = Json.ParseObject(fixture.Setup.KeyFile)["private_key"]!.GetValue<string>();
        secrets.Add(("private key", key.Split('\n')[1]));
        Assert.All(secrets, s => Assert.True(s.Item2.Length >= 16, $"A {s.Item1} too short to search for: '{s.Item2}'"));
        return secrets;
    }

    private static bool FileContains(string path, string text)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return false;
        }

        return bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;
    }

    private static JsonObject JwtPayload(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.True(parts.Length == 3, $"Not a JWT: {parts.Length} parts");
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload += new string('=', (4 - payload.Length % 4) % 4);
        return JsonNode.Parse(Convert.FromBase64String(payload))!.AsObject();
    }

    private static string Tail(string output) => string.Join("\n", output.Split('\n').TakeLast(40));

    [GeneratedRegex(@" \(TaskId:\d+\)$")]
    private static partial Regex DiagnosticSuffix();
}

/// <summary>-p:VertexWait=true: the build follows the job to its end, and its exit code follows the final state.</summary>
public sealed class CloudSubmissionWaitTests : IAsyncLifetime
{
    private CloudSubmissionSetup _setup = null!;

    [RegistryFact]
    public async Task Waiting_streams_states_and_task_prefixed_log_lines_and_succeeds_with_the_job()
    {
        TestEnvironment.RequireRegistry();
        var properties = _setup.Properties("cloud-wait").With(("VertexWait", "true"), ("_VertexPollInterval", "0.5"));

        var (run, job) = await _setup.PublishScriptedAsync("HelloTrainer", "cloud-wait", properties,
            new JobStep("JOB_STATE_RUNNING", ("workerpool0-0", "epoch 1/2 loss=0.50"), ("workerpool1-0", "worker 1 joined the ring")),
            new JobStep("JOB_STATE_SUCCEEDED", ("workerpool0-0", "epoch 2/2 loss=0.25")));

        run.Build.AssertSuccess();
        Assert.NotNull(job);
        Assert.Equal(
        [
            $"VertexTraining: submitted {job.Name}",
            $"VertexTraining: console {CloudSubmissionSetup.ConsoleUrl(job)}",
            $"VertexTraining: {job.Id} is PENDING",
            $"VertexTraining: {job.Id} is RUNNING",
            "[workerpool0-0] epoch 1/2 loss=0.50",
            "[workerpool1-0] worker 1 joined the ring",
            "[workerpool0-0] epoch 2/2 loss=0.25",
            $"VertexTraining: {job.Id} ended SUCCEEDED",
        ], FollowLines(run, job));
        Json.String(Json.ParseObject(run.Project.VertexFile("submission.json", run.Build)), "state", "JOB_STATE_SUCCEEDED");
        // The lines came from Cloud Logging (VERTEX_LOGGING_ENDPOINT), asked with the token.
        Assert.Contains(_setup.Cloud.Requests, r => r.Path == "/v2/entries:list" && r.Header("Authorization") == $"Bearer {CloudSubmissionSetup.Token}");
    }

    [RegistryFact]
    public async Task Waiting_on_a_job_that_fails_fails_the_build_with_VTX4020()
    {
        TestEnvironment.RequireRegistry();
        const string reason = "The replica workerpool0-0 exited with a non-zero status of 1.";
        var properties = _setup.Properties("cloud-wait-fail").With(("VertexWait", "true"), ("_VertexPollInterval", "0.5"));

        var (run, job) = await _setup.PublishScriptedAsync("HelloTrainer", "cloud-wait-fail", properties,
            new JobStep("JOB_STATE_FAILED", ("workerpool0-0", "Unhandled exception. System.InvalidOperationException: CUDA out of memory"))
            {
                Mutate = resource => resource["error"] = new JsonObject { ["code"] = 13, ["message"] = reason },
            });

        Assert.False(run.Build.Succeeded, "A failed job must fail the build.\n" + run.Build.Describe());
        Assert.NotNull(job);
        var failure = Assert.Single(run.Build.Errors, e => e.Code == "VTX4020");
        Assert.Contains(job.Name, failure.Message, StringComparison.Ordinal);
        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
        Assert.Equal(
        [
            $"VertexTraining: submitted {job.Name}",
            $"VertexTraining: console {CloudSubmissionSetup.ConsoleUrl(job)}",
            $"VertexTraining: {job.Id} is PENDING",
            "[workerpool0-0] Unhandled exception. System.InvalidOperationException: CUDA out of memory",
            $"VertexTraining: {job.Id} ended FAILED ({reason})",
        ], FollowLines(run, job));
        Json.String(Json.ParseObject(run.Project.VertexFile("submission.json", run.Build)), "state", "JOB_STATE_FAILED");
    }

    [RegistryFact]
    public async Task Log_lines_that_look_like_MSBuild_diagnostics_are_printed_as_they_are_and_do_not_fail_the_build()
    {
        TestEnvironment.RequireRegistry();
        // Training logs say "error:" and "warning:" for things the job recovers from; only the job's state decides.
        const string errorLike = "CUDA error: out of memory, retrying with batch size 32";
        const string warningLike = "warning: NCCL_P2P_LEVEL is not set, using the default";
        var properties = _setup.Properties("cloud-wait-logs").With(("VertexWait", "true"), ("_VertexPollInterval", "0.5"));

        var (run, job) = await _setup.PublishScriptedAsync("HelloTrainer", "cloud-wait-logs", properties,
            new JobStep("JOB_STATE_SUCCEEDED", ("workerpool0-0", errorLike), ("workerpool1-0", warningLike)));

        Assert.NotNull(job);
        Assert.True(run.Build.Succeeded && run.Build.Diagnostics.Count == 0,
            "A job that SUCCEEDED must succeed the build, and its log lines are output, not MSBuild errors or warnings.\n" + run.Build.Describe());
        Assert.Equal(
        [
            $"VertexTraining: submitted {job.Name}",
            $"VertexTraining: console {CloudSubmissionSetup.ConsoleUrl(job)}",
            $"VertexTraining: {job.Id} is PENDING",
            $"[workerpool0-0] {errorLike}",
            $"[workerpool1-0] {warningLike}",
            $"VertexTraining: {job.Id} ended SUCCEEDED",
        ], FollowLines(run, job));
    }

    public async Task InitializeAsync() => _setup = await CloudSubmissionSetup.StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    /// <summary>The CLI's lines about this job, in the order the build printed them.</summary>
    private static List<string> FollowLines(Submission run, FakeJob job) =>
    [
        .. run.Build.Lines.Select(l => l.Trim()).Where(l =>
            l.StartsWith("[workerpool", StringComparison.Ordinal)
            || l.StartsWith("VertexTraining: submitted ", StringComparison.Ordinal)
            || l.StartsWith("VertexTraining: console ", StringComparison.Ordinal)
            || l.StartsWith($"VertexTraining: {job.Id} ", StringComparison.Ordinal)),
    ];
}

/// <summary>A tuning project, and a create whose answer is lost, through the same full publish path.</summary>
public sealed class CloudSubmissionJobTests : IAsyncLifetime
{
    private CloudSubmissionSetup _setup = null!;

    [RegistryFact]
    public void Tuning_project_posts_its_document_to_hyperparameterTuningJobs()
    {
        TestEnvironment.RequireRegistry();

        var run = _setup.Publish("TuningTrainer", "cloud-tuning");

        run.Build.AssertSuccess();
        var create = Assert.Single(_setup.Cloud.Creates());
        Assert.Equal($"/v1/projects/{FakeGoogleCloud.ProjectId}/locations/us-central1/hyperparameterTuningJobs", create.Path);
        Assert.Equal($"Bearer {CloudSubmissionSetup.Token}", create.Header("Authorization"));
        var body = create.BodyWithoutSubmissionLabel(out _);
        Json.Required(run.Document, "studySpec");
        Json.Equal(run.Document.ToJsonString(), body, "The POSTed tuning body (without the submission label)");

        var job = Assert.Single(_setup.Cloud.Jobs);
        Assert.Equal("hyperparameterTuningJobs", job.Collection);
        var submission = Json.ParseObject(run.Project.VertexFile("submission.json", run.Build));
        Json.String(submission, "name", job.Name);
        Json.String(submission, "kind", "HyperparameterTuningJob");
        Assert.Contains($"VertexTraining: submitted {job.Name}", run.Build.VertexLines);
    }

    [RegistryFact]
    public void Create_whose_answer_is_lost_adopts_the_job_it_made_instead_of_submitting_twice()
    {
        TestEnvironment.RequireRegistry();
        // The fake creates the job, then drops the connection: the CLI cannot know whether the create took effect.
        _setup.Cloud.Inject(new Fault
        {
            Matches = r => r.Method == "POST" && r.Path.EndsWith("/customJobs", StringComparison.Ordinal),
            Kind = FaultKind.ResetAfterHandling,
        });

        var run = _setup.Publish("HelloTrainer", "cloud-ambiguous");

        run.Build.AssertSuccess();
        var job = Assert.Single(_setup.Cloud.Jobs);
        Assert.Single(_setup.Cloud.Creates());
        var submissionId = job.Resource["labels"]![FakeGoogleCloudExtensions.SubmissionLabel]!.GetValue<string>();
        Assert.Contains(_setup.Cloud.Requests, r => r.Method == "GET" && r.Path.EndsWith("/customJobs", StringComparison.Ordinal)
            && r.PathAndQuery.Contains(submissionId, StringComparison.Ordinal));
        Assert.Contains(run.Build.VertexLines, l => l.Contains("adopted", StringComparison.Ordinal)
            && l.Contains($"{FakeGoogleCloudExtensions.SubmissionLabel}={submissionId}", StringComparison.Ordinal));
        Assert.Contains($"VertexTraining: submitted {job.Name}", run.Build.VertexLines);

        var submission = Json.ParseObject(run.Project.VertexFile("submission.json", run.Build));
        Json.String(submission, "name", job.Name);
        Json.String(submission, "submissionId", submissionId);
        Json.Bool(submission, "adopted", true);
    }

    public async Task InitializeAsync() => _setup = await CloudSubmissionSetup.StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();
}
