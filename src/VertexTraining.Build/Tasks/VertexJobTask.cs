using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// Base of the tasks that read a job declaration: it only copies MSBuild inputs into
/// <see cref="JobInputs"/>, so the mapping itself stays in VertexTraining.Core.
/// </summary>
public abstract class VertexJobTask : Microsoft.Build.Utilities.Task
{
    /// <summary>The Vertex* properties: item identity is the property name, metadata <c>Value</c> its value.</summary>
    [Required]
    public ITaskItem[] Properties { get; set; } = [];

    /// <summary>The user's project file: diagnostics point there, not at our .targets file.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>@(VertexArg).</summary>
    public ITaskItem[] Args { get; set; } = [];

    /// <summary>@(VertexEnvironmentVariable).</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    /// <summary>@(VertexNfsMount).</summary>
    public ITaskItem[] NfsMounts { get; set; } = [];

    /// <summary>@(VertexLustreMount).</summary>
    public ITaskItem[] LustreMounts { get; set; } = [];

    /// <summary>@(VertexLabel).</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>@(VertexWorkerPool).</summary>
    public ITaskItem[] WorkerPools { get; set; } = [];

    /// <summary>@(VertexMetric).</summary>
    public ITaskItem[] Metrics { get; set; } = [];

    /// <summary>@(VertexHyperparameter).</summary>
    public ITaskItem[] Hyperparameters { get; set; } = [];

    /// <summary>Builds the MSBuild-independent view of the declaration.</summary>
    protected JobInputs ReadInputs() => ReadInputs(out _);

    /// <summary>
    /// Builds the MSBuild-independent view of the declaration; <paramref name="argWarnings"/> says
    /// which VertexArg Includes MSBuild split on ';' (logged once, by the validating task).
    /// </summary>
    protected JobInputs ReadInputs(out IReadOnlyList<VertexDiagnostic> argWarnings)
    {
        var inputs = new JobInputs();
        foreach (var property in Properties)
        {
            inputs.Set(property.ItemSpec, property.GetMetadata("Value"));
        }

        var (args, warnings) = ArgsAsWritten.Restore([.. Args.Select(a => (a.ItemSpec, (string?)a.GetMetadata("DefiningProjectFullPath")))]);
        argWarnings = warnings;
        for (var i = 0; i < Args.Length; i++)
        {
            AddItem(inputs, VertexItem.Arg, args[i], Args[i]);
        }

        AddItems(inputs, VertexItem.EnvironmentVariable, EnvironmentVariables);
        AddItems(inputs, VertexItem.Label, Labels);
        AddItems(inputs, VertexItem.NfsMount, NfsMounts);
        AddItems(inputs, VertexItem.LustreMount, LustreMounts);
        AddItems(inputs, VertexItem.WorkerPool, WorkerPools);
        AddItems(inputs, VertexItem.Metric, Metrics);
        AddItems(inputs, VertexItem.Hyperparameter, Hyperparameters);
        return inputs;
    }

    /// <summary>Logs each diagnostic with its code; returns true when none is an error.</summary>
    protected bool Report(IEnumerable<VertexDiagnostic> diagnostics) => Log.LogDiagnostics(diagnostics, DiagnosticFile);

    /// <summary>Where diagnostics are reported: the user's project when known.</summary>
    protected string DiagnosticFile => BuildEngine.DiagnosticFile(ProjectFile);

    private static void AddItems(JobInputs inputs, string itemType, ITaskItem[] items)
    {
        foreach (var item in items)
        {
            AddItem(inputs, itemType, item.ItemSpec, item);
        }
    }

    private static void AddItem(JobInputs inputs, string itemType, string identity, ITaskItem item)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in item.MetadataNames)
        {
            metadata[name] = item.GetMetadata(name);
        }

        inputs.Add(itemType, identity, [.. metadata.Select(m => (m.Key, m.Value))]);
    }
}
