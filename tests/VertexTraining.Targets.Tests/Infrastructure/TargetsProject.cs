using System.Reflection;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Build.Construction;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace VertexTraining.Targets.Tests.Infrastructure;

// Internal, like everything here that names an MSBuild type: xunit lists the public types of this assembly
// before MSBuildLocator (a module initializer) has registered the SDK that provides them.

/// <summary>
/// A project that uses the package, held in memory and evaluated by the installed SDK in this process: the
/// SDK's props, the package's props, the project's own body, the SDK's targets, the package's targets (the
/// order NuGet's generated imports give them), then stand-ins for what this tier must not run.
/// </summary>
internal sealed class TargetsProject : IDisposable
{
    /// <summary>The digest the stand-in image build reports, as the SDK reports a pushed or archived image's.</summary>
    public const string StandInDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    // One build at a time: in-process builds share MSBuild's default BuildManager.
    private static readonly Lock BuildLock = new();

    // One collection for every test: it caches the parsed SDK imports, which makes an evaluation after the first
    // take milliseconds rather than a second. Each project has its own path, so nothing else is shared.
    private static readonly ProjectCollection Collection = new();

    private static readonly string PackageBuildFolder = Metadata("PackageBuildFolder");
    private static readonly string TasksAssembly = Metadata("TasksAssembly");

    private readonly TempDirectory _directory;
    private readonly string _body;
    private readonly HashSet<string> _filesWrittenByTest = [];

    private TargetsProject(string name, string body)
    {
        _directory = new TempDirectory("targets");
        Name = name;
        _body = body;
        FullPath = _directory.Combine(name + ".csproj");
    }

    public string Name { get; }

    public string Directory => _directory.Path;

    public string FullPath { get; }

    /// <summary>Where the targets write by default: obj/Debug/net10.0/vertex/ under the project.</summary>
    public string VertexOutputDirectory => _directory.Combine("obj", "Debug", "net10.0", "vertex");

    public static string TestAssets => Metadata("TestAssets");

    /// <summary>A project whose body (property groups, item groups) is <paramref name="body"/>.</summary>
    public static TargetsProject Create(string body, string name = "Trainer") => new(name, body);

    /// <summary>
    /// The body of one of testassets/, minus its Sdk attribute and its package reference (this tier imports the
    /// package's files itself), named as that project is, so its AssemblyName is the same.
    /// </summary>
    public static TargetsProject FromAsset(string asset)
    {
        var document = XDocument.Load(Path.Combine(TestAssets, asset, asset + ".csproj"));
        var parts = document.Root!.Elements()
            .Where(e => !e.Descendants("PackageReference").Any())
            .Select(e => e.ToString());
        return new(asset, string.Join("\n", parts));
    }

    /// <summary>Writes a file next to the project (a publish profile, a patch), relative to the project folder.</summary>
    public string WriteFile(string relativePath, string content)
    {
        _filesWrittenByTest.Add(relativePath);
        return _directory.Write(relativePath, content);
    }

    /// <summary>The project evaluated (no target run), for its properties and items.</summary>
    public ProjectInstance Evaluate(IReadOnlyDictionary<string, string>? globalProperties = null)
    {
        lock (BuildLock)
        {
            return new ProjectInstance(CreateXml(), GlobalProperties(globalProperties), null, Collection);
        }
    }

    /// <summary>Runs <paramref name="targets"/> in this process and returns what happened.</summary>
    public TargetsRun Build(IReadOnlyDictionary<string, string>? globalProperties, params string[] targets)
    {
        lock (BuildLock)
        {
            var instance = new ProjectInstance(CreateXml(), GlobalProperties(globalProperties), null, Collection);
            var log = new CollectingLogger();
            var succeeded = instance.Build(targets, [log]);
            return new TargetsRun(succeeded, instance, log);
        }
    }

    /// <summary>job-request.json as the targets wrote it, read with System.Text.Json.</summary>
    public JsonObject ReadJobRequest() => Json.ParseObject(Path.Combine(VertexOutputDirectory, "job-request.json"));

    /// <summary>Every file under the project folder that the test did not write itself.</summary>
    public IReadOnlyList<string> FilesWrittenByTheBuild() =>
        [.. System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f))
            .Where(f => !_filesWrittenByTest.Contains(f))];

    public void Dispose() => _directory.Dispose();

    private static Dictionary<string, string> GlobalProperties(IReadOnlyDictionary<string, string>? extra)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            // The task assembly just built, not a packed copy (the props let tests point it elsewhere).
            ["VertexTrainingTasksAssembly"] = TasksAssembly,
            // This tier runs no CLI: a target that would (a submission, a quota check) fails on the missing
            // assembly instead of reaching Google.
            ["VertexCliAssembly"] = "/nonexistent/dotnet-vertex.dll",
            // The temp folder must not pick up a Directory.Build.* of whatever is above it.
            ["ImportDirectoryBuildProps"] = "false",
            ["ImportDirectoryBuildTargets"] = "false",
            ["ImportDirectoryPackagesProps"] = "false",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            properties[name] = value;
        }

        return properties;
    }

    private ProjectRootElement CreateXml()
    {
        var text = $"""
            <Project>
              <Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk" />
              <!-- NuGet imports a package's build/<id>.props from the SDK's props (nuget.g.props). -->
              <Import Project="{PackageBuildFolder}VertexTraining.Build.props" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            {_body}
              <Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" />
              <Import Project="{PackageBuildFolder}VertexTraining.Build.targets" />

              <!-- Stand-ins, defined last so they replace the real targets. The SDK's compile and publish are not
                   under test here, only what the package hooks onto them; the image build stands for a pushed
                   image with a known digest. -->
              <Target Name="Build" />
              <Target Name="Publish" />
              <Target Name="_VertexBuildImage" DependsOnTargets="ValidateVertexJob">
                <PropertyGroup>
                  <VertexImageName Condition="'$(ContainerRegistry)' != ''">$(ContainerRegistry)/$(ContainerRepository)</VertexImageName>
                  <VertexImageName Condition="'$(ContainerRegistry)' == ''">$(ContainerRepository)</VertexImageName>
                  <VertexImageDigest>{StandInDigest}</VertexImageDigest>
                </PropertyGroup>
              </Target>
            </Project>
            """;
        using var reader = XmlReader.Create(new StringReader(text));
        var root = ProjectRootElement.Create(reader, Collection);
        root.FullPath = FullPath;
        return root;
    }

    private static string Metadata(string key) =>
        typeof(TargetsProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>The outcome of one in-process build: the project's state afterwards and everything logged.</summary>
internal sealed class TargetsRun(bool succeeded, ProjectInstance instance, CollectingLogger log)
{
    public bool Succeeded => succeeded;

    public ProjectInstance Instance => instance;

    public IReadOnlyList<BuildErrorEventArgs> Errors => log.Errors;

    public IReadOnlyList<BuildWarningEventArgs> Warnings => log.Warnings;

    /// <summary>Targets that ran (a target whose condition was false is skipped and not listed).</summary>
    public IReadOnlyList<string> TargetsStarted => log.TargetsStarted;

    /// <summary>The package's own targets among those that ran.</summary>
    public IReadOnlyList<string> VertexTargetsStarted =>
        [.. TargetsStarted.Where(t => t.Contains("Vertex", StringComparison.Ordinal) || t == "SubmitTraining")];

    /// <summary>Errors, warnings, targets started and high-importance messages, in order.</summary>
    public IReadOnlyList<string> Lines => log.Lines;

    public string Property(string name) => instance.GetPropertyValue(name);

    public string Describe() =>
        $"{(succeeded ? "succeeded" : "FAILED")}; targets: {string.Join(", ", TargetsStarted)}\n{string.Join("\n", log.Lines)}";

    public void AssertSuccess() => Assert.True(succeeded, Describe());
}

/// <summary>Keeps what an in-process build logs, for assertions.</summary>
internal sealed class CollectingLogger : ILogger
{
    private readonly List<string> _lines = [];

    public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Normal;

    public string? Parameters { get; set; }

    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<string> TargetsStarted { get; } = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Initialize(IEventSource eventSource)
    {
        eventSource.ErrorRaised += (_, e) => Add(() => Errors.Add(e), $"error {e.Code}: {e.Message}");
        eventSource.WarningRaised += (_, e) => Add(() => Warnings.Add(e), $"warning {e.Code}: {e.Message}");
        eventSource.TargetStarted += (_, e) => Add(() => TargetsStarted.Add(e.TargetName), $"target {e.TargetName}");
        eventSource.MessageRaised += (_, e) =>
        {
            if (e.Importance == MessageImportance.High)
            {
                Add(() => { }, e.Message ?? "");
            }
        };
    }

    public void Shutdown()
    {
    }

    private void Add(Action record, string line)
    {
        lock (_lines)
        {
            record();
            _lines.Add(line);
        }
    }
}
