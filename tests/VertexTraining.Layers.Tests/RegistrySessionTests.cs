using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using VertexTraining.Build.Tasks.Layers;
using VertexTraining.Layers.Tests.Infrastructure;

namespace VertexTraining.Layers.Tests;

/// <summary>Changes process-wide environment variables: runs alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}

/// <summary>
/// The registry look-ups of one build (FindVertexImageDigest, TagVertexImage) share one client: one token
/// handshake with a registry that hands out bearer tokens, renewed when it expires, and the
/// credentials looked up again when the environment that names them changes.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class RegistrySessionTests : IDisposable
{
    private const string Repository = "project/trainers/app";
    private const string User = "oauth2accesstoken";
    private const string Secret = "ya29.stand-in-secret";

    private readonly BearerRegistryStandIn _registry = new(User, Secret);
    private readonly Dictionary<string, string?> _saved = [];

    public RegistrySessionTests()
    {
        SetVariable("DOTNET_CONTAINER_INSECURE_REGISTRIES", Environment.GetEnvironmentVariable("DOTNET_CONTAINER_INSECURE_REGISTRIES") + ";" + _registry.Address);
        SetVariable("DOTNET_CONTAINER_PUSH_REGISTRY_UNAME", User);
        SetVariable("DOTNET_CONTAINER_PUSH_REGISTRY_PWORD", Secret);
    }

    public void Dispose()
    {
        _registry.Dispose();
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Fact]
    public void The_look_ups_of_one_build_make_one_token_request_and_the_tasks_of_another_build_their_own()
    {
        var runtime = _registry.AddManifest(Repository, "vertex-runtime-1", """{"schemaVersion":2,"layers":["runtime"]}""");
        var app = _registry.AddManifest(Repository, "vertex-app-1", """{"schemaVersion":2,"layers":["runtime","app"]}""");
        var build = new SharingBuildEngine();

        Assert.Equal(runtime, Find(build, "vertex-runtime-1"));
        Assert.Equal("", Find(build, "vertex-dependencies-1"));
        Assert.Equal(app, Find(build, "vertex-app-1"));
        Tag(build, app, "latest");
        Assert.Equal(app, _registry.DigestOf(Repository, "latest"));
        Assert.Equal(1, _registry.TokenRequests);
        Assert.Equal(1, _registry.Unauthorized);

        // Without MSBuild's task-object table every task authenticates on its own: the count above
        // comes from sharing, not from the registry.
        var alone = new FakeBuildEngine();
        Assert.Equal(runtime, Find(alone, "vertex-runtime-1"));
        Assert.Equal(app, Find(alone, "vertex-app-1"));
        Assert.Equal(3, _registry.TokenRequests);

        build.EndBuild();
        var next = new SharingBuildEngine();
        Assert.Equal(app, Find(next, "vertex-app-1"));
        Assert.Equal(4, _registry.TokenRequests);
        next.EndBuild();

        Assert.DoesNotContain(build.Log.Messages.Concat(alone.Messages).Concat(next.Log.Messages), m => m.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_that_expires_mid_build_is_renewed_on_its_401()
    {
        var app = _registry.AddManifest(Repository, "vertex-app-1", """{"schemaVersion":2}""");
        var build = new SharingBuildEngine();
        Assert.Equal(app, Find(build, "vertex-app-1"));
        _registry.RevokeTokens();

        Assert.Equal(app, Find(build, "vertex-app-1"));
        Assert.Equal(2, _registry.TokenRequests);
        build.EndBuild();
    }

    [Fact]
    public void New_credentials_in_the_environment_are_used_by_the_next_look_up_of_the_same_build()
    {
        var app = _registry.AddManifest(Repository, "vertex-app-1", """{"schemaVersion":2}""");
        var build = new SharingBuildEngine();
        Assert.Equal(app, Find(build, "vertex-app-1"));

        // A fresh access token (SetVertexRegistryCredentials runs inside the image build): the old one no longer works.
        _registry.Secret = "ya29.rotated-secret";
        _registry.RevokeTokens();
        Environment.SetEnvironmentVariable("DOTNET_CONTAINER_PUSH_REGISTRY_PWORD", _registry.Secret);

        Assert.Equal(app, Find(build, "vertex-app-1"));
        Assert.Equal(2, _registry.TokenRequests);
        build.EndBuild();
    }

    [Fact]
    public void A_registry_that_refuses_the_credentials_is_a_failure_to_report_not_a_missing_image()
    {
        _registry.AddManifest(Repository, "vertex-app-1", """{"schemaVersion":2}""");
        Environment.SetEnvironmentVariable("DOTNET_CONTAINER_PUSH_REGISTRY_PWORD", "wrong-secret");
        var build = new SharingBuildEngine();
        var task = new FindVertexImageDigest { BuildEngine = build, Registry = _registry.Address, Repository = Repository, Reference = "vertex-app-1", Push = true };

        Assert.True(task.Execute());
        Assert.Equal("", task.Digest);
        Assert.Contains("401", task.Failure);
        Assert.DoesNotContain("wrong-secret", task.Failure);
        build.EndBuild();
    }

    private string Find(IBuildEngine engine, string tag)
    {
        var task = new FindVertexImageDigest { BuildEngine = engine, Registry = _registry.Address, Repository = Repository, Reference = tag, Push = true };
        Assert.True(task.Execute());
        Assert.Equal("", task.Failure);
        return task.Digest;
    }

    private void Tag(IBuildEngine engine, string digest, string tag)
    {
        var task = new TagVertexImage { BuildEngine = engine, Registry = _registry.Address, Repository = Repository, Digest = digest, Tags = [new TaskItem(tag)] };
        Assert.True(task.Execute());
        Assert.Equal("", task.Failure);
    }

    private void SetVariable(string name, string value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }
}
