using System.Net;
using VertexTraining.Build.Tests.Infrastructure;
using VertexTraining.Testing.Fakes;

namespace VertexTraining.Build.Tests;

/// <summary>
/// Pushing to a registry that demands credentials, as Artifact Registry does (user oauth2accesstoken,
/// an access token as password): with the SDK's credential variables, and with a token from
/// Application Default Credentials (here a fake metadata server) that must never be logged.
/// </summary>
public sealed class RegistryCredentialTests : IDisposable
{
    private readonly List<TestProject> _projects = [];

    [RegistryFact]
    public async Task Push_with_the_right_credentials_succeeds()
    {
        TestEnvironment.RequireRegistry();
        await using var cloud = await FakeGoogleCloudExtensions.StartWithMetadataServerAsync();
        var properties = Submission.CloudProperties(TestEnvironment.AuthRegistry, TestEnvironment.AuthBaseImageRepository, "auth-ok")
            .With(("VertexProject", FakeGoogleCloud.ProjectId));
        var environment = Credentials(TestEnvironment.AuthPassword, TestEnvironment.AuthPassword);
        foreach (var (name, value) in cloud.MetadataServerEnvironment())
        {
            environment[name] = value;
        }

        var run = Submission.Publish(NewProject("auth-ok"), properties, environment);

        run.Build.AssertSuccess();
        AssertPushed(run);
        Assert.DoesNotContain(TestEnvironment.AuthPassword, run.Build.Output, StringComparison.Ordinal);
        // Not asserted for the binlog: MSBuild records the DOTNET_* variables of the environment it was
        // started with in every binlog, so a password the user exports there is the user's to protect.
    }

    [RegistryFact]
    public async Task Push_with_an_Application_Default_Credentials_token_never_records_the_token()
    {
        TestEnvironment.RequireRegistry();
        // The registry accepts oauth2accesstoken with this password, as Artifact Registry accepts an
        // access token: so the fake metadata server issues exactly that "token".
        await using var cloud = await FakeGoogleCloudExtensions.StartWithMetadataServerAsync(token: TestEnvironment.AuthPassword);
        var properties = Submission.CloudProperties(TestEnvironment.AuthRegistry, TestEnvironment.BaseImageRepository, "auth-adc")
            .With(("VertexProject", FakeGoogleCloud.ProjectId), ("VertexRegistryAuth", "Google"));

        var run = Submission.Publish(NewProject("auth-adc"), properties, cloud.MetadataServerEnvironment());

        run.Build.AssertSuccess();
        Assert.True(cloud.Requests.Any(r => r.Path.EndsWith("/service-accounts/default/token", StringComparison.Ordinal)),
            "No token was requested from the metadata server.\n" + run.Build.Describe());
        Assert.Equal([TestEnvironment.AuthPassword], cloud.IssuedTokens());
        AssertPushed(run);
        AssertSecretNotRecorded(run, TestEnvironment.AuthPassword);
    }

    [RegistryFact]
    public void Push_with_a_wrong_password_fails_before_any_job_document()
    {
        TestEnvironment.RequireRegistry();
        const string wrongPassword = "not-the-registry-password-4711";
        // The base comes from the open registry, so only the push meets the wrong password.
        var properties = Submission.CloudProperties(TestEnvironment.AuthRegistry, TestEnvironment.BaseImageRepository, "auth-bad-push");

        var run = Submission.Publish(NewProject("auth-bad-push"), properties, Credentials(pull: null, push: wrongPassword));

        AssertFailedWithoutPushOrDocument(run);
        Assert.DoesNotContain(wrongPassword, run.Build.Output, StringComparison.Ordinal);
    }

    [RegistryFact]
    public void Base_image_pull_with_a_wrong_password_fails_before_any_job_document()
    {
        TestEnvironment.RequireRegistry();
        const string wrongPassword = "not-the-registry-password-0815";
        var properties = Submission.CloudProperties(TestEnvironment.AuthRegistry, TestEnvironment.AuthBaseImageRepository, "auth-bad-pull");

        var run = Submission.Publish(NewProject("auth-bad-pull"), properties, Credentials(wrongPassword, wrongPassword));

        AssertFailedWithoutPushOrDocument(run);
        Assert.DoesNotContain(wrongPassword, run.Build.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var project in _projects)
        {
            project.Dispose();
        }
    }

    /// <summary>The SDK's registry credential variables: PULL for the base image, PUSH for ours (null: unset).</summary>
    private static Dictionary<string, string?> Credentials(string? pull, string? push) => new()
    {
        ["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = pull is null ? null : TestEnvironment.AuthUser,
        ["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = pull,
        ["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = push is null ? null : TestEnvironment.AuthUser,
        ["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = push,
    };

    private static void AssertPushed(Submission run)
    {
        var digest = run.PinnedDigest();
        using var registry = new RegistryClient(TestEnvironment.AuthRegistry, TestEnvironment.AuthUser, TestEnvironment.AuthPassword);
        var (status, bytes, _) = registry.GetManifest(run.Repository, digest);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(digest, RegistryClient.Digest(bytes));
    }

    private static void AssertFailedWithoutPushOrDocument(Submission run)
    {
        Assert.False(run.Build.Succeeded, "The push was expected to fail.\n" + run.Build.Describe());
        Assert.True(run.Build.Errors.Count > 0, "A failed push must say why, with a coded error.\n" + run.Build.Describe());
        Assert.Empty(run.Project.VertexOutputFolders.SelectMany(f => Directory.GetFiles(f, "job-request.json")));
        using var registry = new RegistryClient(TestEnvironment.AuthRegistry, TestEnvironment.AuthUser, TestEnvironment.AuthPassword);
        registry.AssertRepositoryAbsent(run.Repository, "nothing may be pushed with wrong credentials");
    }

    private static void AssertSecretNotRecorded(Submission run, string secret)
    {
        Assert.False(run.Build.Output.Contains(secret, StringComparison.Ordinal), "The registry password appears in the build output.");
        Assert.False(Binlog.Contains(run.Build.BinlogPath, secret), $"The registry password appears in the binlog {run.Build.BinlogPath}.");
        Assert.DoesNotContain(secret, run.Build.Process.CommandLine, StringComparison.Ordinal);
    }

    private TestProject NewProject(string stem)
    {
        var project = TestProject.Create("HelloTrainer", stem);
        _projects.Add(project);
        return project;
    }
}
