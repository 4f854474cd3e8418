using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Configuration;

namespace VertexTraining.Cli.Tests.Support;

/// <summary>
/// One test's world: a fake Google Cloud, a temp folder, credentials pointing at the fake, and ways to
/// run the CLI in-process (instant, observable retry delays) or as the real dotnet-vertex process.
/// Nothing reaches beyond loopback: the metadata host points at a closed local port unless a test opts in.
/// </summary>
public sealed class CliHarness : IAsyncDisposable
{
    private readonly List<TimeSpan> _retryDelays = [];
    private readonly List<TimeSpan> _pollDelays = [];
    private TimeSpan _elapsed;

    private CliHarness(FakeGoogleCloud server)
    {
        Server = server;
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = Temp.Combine("home"),
            ["CLOUDSDK_CONFIG"] = Temp.Combine("gcloud"),
            ["GCE_METADATA_HOST"] = $"127.0.0.1:{ClosedPort()}",
            [VertexEndpoints.ApiEndpointVariable] = server.BaseUri.ToString(),
            [VertexEndpoints.LoggingEndpointVariable] = server.BaseUri.ToString(),
            [VertexEndpoints.QuotaEndpointVariable] = server.BaseUri.ToString(),
        };
        Retry = new RetryPolicy
        {
            RequestTimeout = TimeSpan.FromSeconds(3),
            NextRandom = () => 0.5,
            Delay = async (delay, _) =>
            {
                lock (_retryDelays)
                {
                    _retryDelays.Add(delay);
                }

                await PassTimeAsync(delay);
            },
        };
    }

    /// <summary>
    /// Fake time: the sum of every retry and poll delay the in-process CLI asked for (none really waits).
    /// Outages and late log entries are scripted against it, so minutes pass in milliseconds.
    /// </summary>
    public TimeSpan Elapsed
    {
        get
        {
            lock (_retryDelays)
            {
                return _elapsed;
            }
        }
    }

    /// <summary>Runs after every delay of the in-process CLI with the new <see cref="Elapsed"/> (to start or end an outage).</summary>
    public Func<TimeSpan, Task>? OnTimePassed { get; set; }

    private async Task PassTimeAsync(TimeSpan delay)
    {
        TimeSpan now;
        lock (_retryDelays)
        {
            _elapsed += delay;
            now = _elapsed;
        }

        if (OnTimePassed is { } onTimePassed)
        {
            await onTimePassed(now);
        }
    }

    public FakeGoogleCloud Server { get; }

    public TempDirectory Temp { get; } = new();

    /// <summary>The CLI's environment: nothing from the test process leaks in.</summary>
    public Dictionary<string, string?> Environment { get; }

    public RetryPolicy Retry { get; set; }

    /// <summary>Retry delays the in-process CLI asked for, in order.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays
    {
        get
        {
            lock (_retryDelays)
            {
                return _retryDelays.ToList();
            }
        }
    }

    public IReadOnlyList<TimeSpan> PollDelays
    {
        get
        {
            lock (_pollDelays)
            {
                return _pollDelays.ToList();
            }
        }
    }

    /// <summary>Runs between polls of an in-process follow (e.g. to move the job along); may be null.</summary>
    public Func<int, Task>? OnPoll { get; set; }

    /// <summary>The built dotnet-vertex.dll (copied next to the tests by the project reference).</summary>
    public static string CliAssembly => Path.Combine(AppContext.BaseDirectory, "dotnet-vertex.dll");

    public static async Task<CliHarness> StartAsync(bool serviceAccount = true)
    {
        var harness = new CliHarness(await FakeGoogleCloud.StartAsync());
        if (serviceAccount)
        {
            harness.Environment["GOOGLE_APPLICATION_CREDENTIALS"] = TestCredentials.ServiceAccount(harness.Server, harness.Temp);
        }

        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Temp.Dispose();
    }

    /// <summary>Runs the CLI in this process with its own context.</summary>
    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var polls = 0;
        var context = new CliContext(TextWriter.Synchronized(output), TextWriter.Synchronized(error), name => Environment.GetValueOrDefault(name), Temp.Path)
        {
            Retry = Retry,
            PollDelay = async (delay, token) =>
            {
                token.ThrowIfCancellationRequested();
                lock (_pollDelays)
                {
                    _pollDelays.Add(delay);
                }

                await PassTimeAsync(delay);
                if (OnPoll is { } onPoll)
                {
                    await onPoll(++polls);
                }

                token.ThrowIfCancellationRequested();
            },
        };
        var exitCode = await Task.Run(() => Program.RunAsync(args, context, cancellationToken), CancellationToken.None);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the real dotnet-vertex as a child process with the harness's environment.</summary>
    public async Task<CliResult> RunProcessAsync(string[] args, TimeSpan? timeout = null, Func<Process, StringBuilder, Task>? whileRunning = null)
    {
        using var child = ChildProcess.Start("dotnet", [CliAssembly, .. args], Environment, Temp.Path, RemoveGoogleEnvironment);
        if (whileRunning is not null)
        {
            await whileRunning(child.Process, child.StandardOutput);
        }

        if (!await child.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"dotnet-vertex {string.Join(' ', args)} did not finish.\n{ChildProcess.Snapshot(child.StandardOutput)}\n{ChildProcess.Snapshot(child.StandardError)}");
        }

        return new CliResult(child.Process.ExitCode, ChildProcess.Snapshot(child.StandardOutput), ChildProcess.Snapshot(child.StandardError));
    }

    /// <summary>The developer's own Google and Vertex settings must not reach the tool under test.</summary>
    private static void RemoveGoogleEnvironment(ProcessStartInfo start)
    {
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("GOOGLE_", StringComparison.Ordinal) || key.StartsWith("CLOUDSDK_", StringComparison.Ordinal)
                || key.StartsWith("GCE_", StringComparison.Ordinal) || key.StartsWith("VERTEX_", StringComparison.Ordinal))
            {
                start.Environment.Remove(key);
            }
        }
    }

    /// <summary>Writes a job document built by the product's one mapping (JobDocumentBuilder) and returns its path.</summary>
    public string WriteDocument(JobDocument document, string name = "job-request.json") => Temp.Write(name, document.ToJson());

    public static JobDocument CustomJobDocument(string displayName = "moons-20261127-100000")
    {
        var inputs = new JobInputs()
            .Set("VertexProject", FakeGoogleCloud.ProjectId)
            .Set("VertexRegion", FakeGoogleCloud.Region)
            .Set("VertexTarget", "Cloud")
            .Set("VertexArtifactRepository", "training")
            .Set("VertexJobDisplayName", displayName)
            .Set("VertexAcceleratorType", "NVIDIA_TESLA_T4")
            .Set("VertexArgs", "--epochs=3")
            .Add("VertexLabel", "team", ("Value", "ml"));
        return Build(inputs);
    }

    public static JobDocument TuningJobDocument(string goal = "Maximize")
    {
        var inputs = new JobInputs()
            .Set("VertexProject", FakeGoogleCloud.ProjectId)
            .Set("VertexRegion", FakeGoogleCloud.Region)
            .Set("VertexTarget", "Cloud")
            .Set("VertexArtifactRepository", "training")
            .Set("VertexJobDisplayName", "moons-hpt")
            .Set("VertexMaxTrialCount", "4")
            .Set("VertexParallelTrialCount", "2")
            .Add("VertexMetric", "accuracy", ("Goal", goal))
            .Add("VertexHyperparameter", "learning_rate", ("Type", "Double"), ("Min", "0.001"), ("Max", "0.1"), ("Scale", "Log"))
            .Add("VertexHyperparameter", "layers", ("Type", "Integer"), ("Min", "1"), ("Max", "4"));
        return Build(inputs);
    }

    private static JobDocument Build(JobInputs inputs)
    {
        var result = JobDocumentBuilder.Build(inputs, "us-central1-docker.pkg.dev/vertex-test-project/training/moons@sha256:" + new string('a', 64));
        return result.Document ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    }

    public static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    /// <summary>A loopback port nothing listens on, so a metadata-server probe fails at once and stays local.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
