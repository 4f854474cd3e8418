using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using VertexTraining.Build.Tasks;
using VertexTraining.Build.Tasks.Layers;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Containers;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Layers.Tests.Infrastructure;

namespace VertexTraining.Layers.Tests;

/// <summary>
/// What keeps the package's names and messages in one shape: Vertex-named tasks that exist, coded
/// errors and warnings whose codes are Core's constants, and one way for tasks to log a problem.
/// </summary>
public sealed partial class PackageConventionTests
{
    private static readonly string BuildFolder = Path.Combine(RepositoryLayout.Root, "src", "VertexTraining.Build", "build");

    private static readonly Assembly TasksAssembly = typeof(RunVertexCli).Assembly;

    /// <summary>Every code DiagnosticCodes defines, by constant name, read by reflection.</summary>
    private static readonly IReadOnlyDictionary<string, string> DefinedCodes = typeof(DiagnosticCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    private static IEnumerable<XElement> PackageElements(string name) =>
        Directory.GetFiles(BuildFolder, "*.*")
            .Where(f => f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal))
            .SelectMany(f => XDocument.Load(f, LoadOptions.SetLineInfo).Descendants(name));

    [Fact]
    public void Every_UsingTask_names_a_Vertex_task_that_the_tasks_assembly_defines()
    {
        var usingTasks = PackageElements("UsingTask").ToList();
        Assert.NotEmpty(usingTasks);
        foreach (var usingTask in usingTasks)
        {
            var taskName = (string?)usingTask.Attribute("TaskName") ?? "";
            var shortName = taskName[(taskName.LastIndexOf('.') + 1)..];
            Assert.True(shortName.Contains("Vertex", StringComparison.Ordinal), $"UsingTask {taskName}: a task name without 'Vertex' may collide with another package's task");
            Assert.Equal("$(VertexTrainingTasksAssembly)", (string?)usingTask.Attribute("AssemblyFile"));
            var type = TasksAssembly.GetType(taskName);
            Assert.True(type is not null, $"UsingTask {taskName}: no such type in {TasksAssembly.GetName().Name}");
            Assert.True(typeof(ITask).IsAssignableFrom(type) && type.IsPublic && !type.IsAbstract, $"UsingTask {taskName}: not a public, concrete MSBuild task");
        }
    }

    [Fact]
    public void Every_task_of_the_tasks_assembly_is_declared_once_so_none_is_dead_code()
    {
        var declared = PackageElements("UsingTask").Select(u => (string)u.Attribute("TaskName")!).ToList();
        var tasks = TasksAssembly.GetExportedTypes().Where(t => typeof(ITask).IsAssignableFrom(t) && !t.IsAbstract).Select(t => t.FullName!);

        Assert.Equal(declared.Order(), declared.Distinct().Order());
        Assert.Equal(tasks.Order(), declared.Order());
    }

    [Fact]
    public void Every_error_and_warning_of_the_targets_carries_a_code_that_DiagnosticCodes_defines()
    {
        var known = DefinedCodes.Values.ToHashSet();
        var elements = PackageElements("Error").Concat(PackageElements("Warning")).ToList();
        Assert.NotEmpty(elements);
        foreach (var element in elements)
        {
            var code = (string?)element.Attribute("Code");
            var where = $"<{element.Name} Text=\"{(string?)element.Attribute("Text")}\"> (line {((System.Xml.IXmlLineInfo)element).LineNumber})";
            Assert.True(code is not null && known.Contains(code), $"{where}: Code '{code}' is not a constant of DiagnosticCodes");
        }
    }

    [Fact]
    public void Each_code_has_one_constant_and_the_range_of_its_kind()
    {
        var shared = DefinedCodes.GroupBy(c => c.Value).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Key))}");
        Assert.Empty(shared);
        Assert.All(DefinedCodes, c => Assert.Matches(@"^VTX[1-5]\d{3}$", c.Value));
    }

    [Fact]
    public void Every_code_a_docs_table_lists_is_defined()
    {
        var root = RepositoryLayout.Root;
        var documents = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(root, "README.md"));
        var known = DefinedCodes.Values.ToHashSet();
        var listed = documents
            .SelectMany(d => File.ReadLines(d).Select(line => (Document: Path.GetRelativePath(root, d), Match: DocsTableCode().Match(line))))
            .Where(x => x.Match.Success)
            .ToList();

        Assert.NotEmpty(listed);
        Assert.All(listed, x => Assert.True(known.Contains(x.Match.Groups["code"].Value), $"{x.Document} lists {x.Match.Groups["code"].Value}, which DiagnosticCodes does not define"));
    }

    [Fact]
    public void Each_default_the_props_set_is_the_one_Core_falls_back_to()
    {
        var defaults = PropsDefaults();

        Assert.Equal(JobDocumentBuilder.DefaultRegion, defaults["VertexRegion"]);
        Assert.Equal(JobDocumentBuilder.DefaultMachineType, defaults["VertexMachineType"]);
        Assert.Equal(CudaBaseImage.DefaultVersion, defaults["VertexCudaVersion"]);
        Assert.Equal(CudaBaseImage.DefaultFlavor, defaults["VertexCudaFlavor"]);
        Assert.Equal(CudaBaseImage.DefaultUbuntu, defaults["VertexUbuntuVersion"]);
        Assert.Equal(CudaBaseImage.DefaultRepository, defaults["VertexCudaImageRepository"]);
    }

    [Fact]
    public void User_overridable_defaults_are_set_once_in_the_props_and_only_body_dependent_ones_in_targets()
    {
        // These depend on the project body (VertexProject, AssemblyName, IntermediateOutputPath), which the props precede.
        string[] bodyDependent = ["VertexTarget", "VertexJobDisplayName", "VertexOutputDirectory"];
        var props = Directory.GetFiles(BuildFolder, "*.props").SelectMany(f => GuardedDefaults(XDocument.Load(f))).Select(p => p.Name.LocalName).ToList();
        var targets = Directory.GetFiles(BuildFolder, "*.targets").SelectMany(f => GuardedDefaults(XDocument.Load(f))).Select(p => p.Name.LocalName).ToList();

        Assert.Equal(props.Distinct().Order(), props.Order());
        Assert.Equal(bodyDependent.Order(), targets.Distinct().Order());
        Assert.Empty(props.Intersect(targets));
    }

    /// <summary>The public Vertex* properties given a value only when empty: <c>&lt;VertexX Condition="'$(VertexX)' == ''"&gt;</c>.</summary>
    private static IEnumerable<XElement> GuardedDefaults(XDocument document) =>
        document.Descendants("PropertyGroup").Elements()
            .Where(p => p.Name.LocalName.StartsWith("Vertex", StringComparison.Ordinal)
                && ((string?)p.Attribute("Condition"))?.Replace(" ", "", StringComparison.Ordinal) == $"'$({p.Name.LocalName})'==''");

    private static Dictionary<string, string> PropsDefaults() =>
        GuardedDefaults(XDocument.Load(Path.Combine(BuildFolder, "VertexTraining.Build.props"))).ToDictionary(p => p.Name.LocalName, p => p.Value);

    [Fact]
    public void Tasks_report_problems_only_through_the_coded_sink()
    {
        var tasksFolder = Path.Combine(RepositoryLayout.Root, "src", "VertexTraining.Build", "Tasks");
        var sink = Path.Combine(tasksFolder, "DiagnosticLogging.cs");
        var offenders = Directory.GetFiles(tasksFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => f != sink)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => DirectLog().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}");

        Assert.Empty(offenders);
    }

    [Fact]
    public void A_registry_that_is_not_on_loopback_is_refused_with_its_code()
    {
        var engine = new FakeBuildEngine();
        var task = new TrustVertexLocalImageRegistry { BuildEngine = engine, Address = "registry.example.com:5000" };

        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.LocalImageRegistryNotLoopback, error.Code);
        Assert.Contains("'registry.example.com:5000' is not a loopback registry", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("registry.example.com:5000", Environment.GetEnvironmentVariable("DOTNET_CONTAINER_INSECURE_REGISTRIES") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void A_CLI_that_cannot_be_started_is_a_coded_error_naming_the_property_not_a_crash()
    {
        var engine = new FakeBuildEngine();
        var missingHost = Path.Combine(Path.GetTempPath(), "no-dotnet-" + Guid.NewGuid().ToString("N"), "dotnet");
        var task = new RunVertexCli { BuildEngine = engine, DotnetHost = missingHost, CliAssembly = "dotnet-vertex.dll", Arguments = ["version"] };

        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.CliNotStartable, error.Code);
        Assert.Contains($"Could not start '{missingHost} dotnet-vertex.dll'", error.Message, StringComparison.Ordinal);
        Assert.Contains("VertexCliAssembly", error.Message, StringComparison.Ordinal);
    }

    // A table row that starts with a code: "| VTX2060 | error | ..." or "| `VTX5001` | ...".
    [GeneratedRegex(@"^\|\s*`?(?<code>VTX\d{4})`?\s*\|")]
    private static partial Regex DocsTableCode();

    // Any direct call of MSBuild's error or warning logging; the sink is the one place allowed to make it.
    [GeneratedRegex(@"\bLog\.Log(Error|Warning)\w*\(")]
    private static partial Regex DirectLog();
}
