using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace VertexTraining.Cli.Tests;

/// <summary>
/// docs/ci: the GitHub Actions workflow parsed as YAML and checked for what keyless auth and the pipeline
/// need, its shell checked by bash, and the credential that google-github-actions/auth writes for it
/// exchanged against the loopback STS, its subject token fetched from a loopback stand-in for GitHub's
/// OIDC endpoint.
/// </summary>
public sealed partial class CiRecipeTests
{
    // What a workflow run of google-github-actions/auth@v2 is given and derives, for a direct WIF provider.
    private const string Provider = "projects/123456789012/locations/global/workloadIdentityPools/ci/providers/github";
    private const string OidcAudience = "https://iam.googleapis.com/" + Provider;

    private static string Workflow => Path.Combine(RepositoryRoot, "docs", "ci", "github-actions.yml");

    [Fact]
    public void Workflow_requests_an_OIDC_token_and_authenticates_with_workload_identity_federation()
    {
        var root = LoadWorkflow();

        Assert.NotNull(Child(root, "on"));
        var permissions = Mapping(root, "permissions");
        Assert.Equal("write", Scalar(permissions, "id-token"));
        var job = Mapping(Mapping(root, "jobs"), "train");
        var steps = Sequence(job, "steps").Children.Cast<YamlMappingNode>().ToList();

        var auth = Assert.Single(steps, s => Scalar(s, "uses")?.StartsWith("google-github-actions/auth@", StringComparison.Ordinal) == true);
        Assert.Matches(@"@v[2-9]$", Scalar(auth, "uses"));
        var with = Mapping(auth, "with");
        Assert.Matches(@"^\$\{\{ *vars\.\w+ *\}\}$", Scalar(with, "workload_identity_provider"));
        Assert.Null(Child(with, "credentials_json")); // keyless: no key in a secret
        Assert.NotEqual("false", Scalar(with, "create_credentials_file"));
        Assert.NotEqual("false", Scalar(with, "export_environment_variables"));

        // Auth comes before anything that talks to Google, and the checkout before auth (the action writes into the workspace).
        var order = steps.Select(s => Scalar(s, "uses") ?? Scalar(s, "run") ?? "").ToList();
        var authIndex = steps.IndexOf(auth);
        Assert.True(order.FindIndex(s => s.StartsWith("actions/checkout@", StringComparison.Ordinal)) < authIndex, "checkout must come before auth");
        Assert.True(order.FindIndex(s => s.Contains("dotnet vertex submit", StringComparison.Ordinal)) > authIndex, "submit must come after auth");
    }

    [Fact]
    public void Workflow_submits_waits_and_publishes_the_job_as_outputs()
    {
        var root = LoadWorkflow();
        var job = Mapping(Mapping(root, "jobs"), "train");
        var steps = Sequence(job, "steps").Children.Cast<YamlMappingNode>().ToList();
        var ids = steps.Select(s => Scalar(s, "id")).OfType<string>().ToHashSet();

        var submit = Run(steps, "submit");
        Assert.Contains("dotnet vertex submit", submit);
        Assert.Contains("--json", submit);
        Assert.Contains("-p:VertexProject=", submit);
        Assert.Contains("jq -r .name", submit);
        Assert.Contains("jq -r .consoleUrl", submit);
        Assert.Contains("GITHUB_OUTPUT", submit);
        Assert.Contains("dotnet vertex wait", Run(steps, "wait"));

        // Every job output reads a step output that a step with that id writes to GITHUB_OUTPUT.
        var outputs = Mapping(job, "outputs");
        Assert.Equal(["job-name", "console-url", "state"], outputs.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        foreach (var value in outputs.Children.Values.Cast<YamlScalarNode>())
        {
            var match = StepOutput().Match(value.Value!);
            Assert.True(match.Success, $"output '{value.Value}' is not ${{{{ steps.ID.outputs.NAME }}}}");
            Assert.Contains(match.Groups["step"].Value, ids);
            Assert.Contains($"echo \"{match.Groups["name"].Value}=", Run(steps, match.Groups["step"].Value));
        }
    }

    [Fact]
    public void Every_shell_step_and_the_plain_shell_recipe_parse_with_bash()
    {
        using var temp = new TempDirectory();
        var steps = Sequence(Mapping(Mapping(LoadWorkflow(), "jobs"), "train"), "steps").Children.Cast<YamlMappingNode>();
        var scripts = steps.Select(s => Scalar(s, "run")).OfType<string>().ToList();
        Assert.True(scripts.Count >= 4, "Expected the install, auth check, submit, wait and report steps to run shell.");
        var files = scripts.Select((script, i) =>
            // GitHub substitutes ${{ ... }} before bash sees the script; a placeholder word stands in for it.
            temp.Write($"step-{i}.sh", Expression().Replace(script, "EXPRESSION"))).ToList();
        files.Add(Path.Combine(RepositoryRoot, "docs", "ci", "train.sh"));

        foreach (var file in files)
        {
            using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", file]) { RedirectStandardError = true })!;
            var error = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.True(bash.ExitCode == 0, $"bash -n {file}: {error}\n{File.ReadAllText(file)}");
        }
    }

    [Fact]
    public async Task Credential_file_that_google_github_actions_auth_writes_is_exchanged_at_the_STS()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        var requestToken = "ghs_request-" + Guid.NewGuid().ToString("N");
        var idToken = "eyJhbGciOiJSUzI1NiJ9.github-oidc-" + Guid.NewGuid().ToString("N");
        await using var github = await GitHubOidcEndpoint.StartAsync(requestToken, idToken, OidcAudience);
        cli.Server.OAuth.AddFederatedSubject(TestCredentials.Audience, idToken);
        Assert.Equal("//iam.googleapis.com/" + Provider, TestCredentials.Audience);
        // The file as the action's createCredentialsFile writes it: a URL-sourced subject token, GitHub's
        // request URL with the audience appended and its request token as a bearer header; the STS is ours.
        var credentials = cli.Temp.Write("gha-creds-0123456789abcdef.json", new JsonObject
        {
            ["type"] = "external_account",
            ["audience"] = "//iam.googleapis.com/" + Provider,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["token_url"] = cli.Server.StsUrl,
            ["credential_source"] = new JsonObject
            {
                ["url"] = $"{github.RequestUrl}?api-version=2.0&audience={Uri.EscapeDataString(OidcAudience)}",
                ["headers"] = new JsonObject { ["Authorization"] = "Bearer " + requestToken },
                ["format"] = new JsonObject { ["type"] = "json", ["subject_token_field_name"] = "value" },
            },
        }.ToJsonString());
        cli.Environment["GOOGLE_APPLICATION_CREDENTIALS"] = credentials;

        var token = await cli.RunAsync("auth", "print-access-token");
        var check = await cli.RunAsync("auth", "check");

        Assert.True(token.ExitCode == 0, token.ToString());
        Assert.Equal($"external_account:{TestCredentials.Audience}", cli.Server.OAuth.IssuedTokens[token.StdOut.Trim()]);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("federated principal of //iam.googleapis.com/" + Provider, check.StdOut);
        Assert.NotEmpty(github.Requests);
        Assert.All(github.Requests, r => Assert.Equal("Bearer " + requestToken, r));
        Assert.Contains(cli.Server.Requests, r => r.Path == "/sts/v1/token" && r.Body.Contains(idToken, StringComparison.Ordinal));
        // Neither GitHub's request token nor the OIDC token it buys is ever printed.
        foreach (var secret in new[] { requestToken, idToken })
        {
            Assert.DoesNotContain(secret, token.AllOutput + check.AllOutput);
        }
    }

    private static YamlMappingNode LoadWorkflow()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Workflow))
        {
            stream.Load(reader);
        }

        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    private static string Run(IEnumerable<YamlMappingNode> steps, string id) =>
        Scalar(Assert.Single(steps, s => Scalar(s, "id") == id), "run") ?? throw new Xunit.Sdk.XunitException($"step {id} has no run");

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        Child(node, key) as YamlMappingNode ?? throw new Xunit.Sdk.XunitException($"'{key}' is not a mapping in the workflow");

    private static YamlSequenceNode Sequence(YamlMappingNode node, string key) =>
        Child(node, key) as YamlSequenceNode ?? throw new Xunit.Sdk.XunitException($"'{key}' is not a sequence in the workflow");

    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BuildTasks.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("No BuildTasks.sln above " + AppContext.BaseDirectory);
        }
    }

    [GeneratedRegex(@"^\$\{\{ *steps\.(?<step>[\w-]+)\.outputs\.(?<name>[\w-]+) *\}\}$")]
    private static partial Regex StepOutput();

    [GeneratedRegex(@"\$\{\{.*?\}\}")]
    private static partial Regex Expression();

    /// <summary>
    /// GitHub's ACTIONS_ID_TOKEN_REQUEST_URL on loopback: answers {"value": idToken} to a request that carries
    /// the job's request token as a bearer and asks for the provider's audience; anything else is 401.
    /// </summary>
    private sealed class GitHubOidcEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _authorizations = new();

        private GitHubOidcEndpoint(WebApplication app) => _app = app;

        public string RequestUrl { get; private set; } = "";

        /// <summary>The Authorization header of every request received.</summary>
        public IReadOnlyCollection<string> Requests => _authorizations;

        public static async Task<GitHubOidcEndpoint> StartAsync(string requestToken, string idToken, string audience)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var endpoint = new GitHubOidcEndpoint(app);
            app.Run(async context =>
            {
                var authorization = context.Request.Headers.Authorization.ToString();
                endpoint._authorizations.Enqueue(authorization);
                if (authorization != "Bearer " + requestToken || context.Request.Query["audience"] != audience)
                {
                    context.Response.StatusCode = 401;
                    return;
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(new JsonObject { ["count"] = 1, ["value"] = idToken }.ToJsonString());
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            endpoint.RequestUrl = address.TrimEnd('/') + "/_apis/distributedtask/hubs/build/plans/p/jobs/j/idtoken";
            return endpoint;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
