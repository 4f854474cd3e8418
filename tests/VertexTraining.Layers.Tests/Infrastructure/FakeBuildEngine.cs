using System.Collections;
using Microsoft.Build.Framework;

namespace VertexTraining.Layers.Tests.Infrastructure;

/// <summary>Just enough of MSBuild to run a task in process and see what it logged.</summary>
internal sealed class FakeBuildEngine : IBuildEngine
{
    public List<string> Messages { get; } = [];

    public List<BuildErrorEventArgs> Errors { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.proj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

    public void LogCustomEvent(CustomBuildEventArgs e) => Messages.Add(e.Message ?? "");

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? "");

    public void LogWarningEvent(BuildWarningEventArgs e) => Messages.Add(e.Message ?? "");
}
