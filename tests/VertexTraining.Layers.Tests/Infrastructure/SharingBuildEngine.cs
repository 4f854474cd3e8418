using System.Collections;
using Microsoft.Build.Framework;

namespace VertexTraining.Layers.Tests.Infrastructure;

/// <summary>
/// <see cref="FakeBuildEngine"/> plus MSBuild's table of task objects (IBuildEngine4): what lets
/// the tasks of one build share an object. <see cref="EndBuild"/> disposes them as MSBuild does.
/// </summary>
internal sealed class SharingBuildEngine : IBuildEngine4
{
    private readonly Dictionary<(object Key, RegisteredTaskObjectLifetime Lifetime), object> _objects = [];

    public FakeBuildEngine Log { get; } = new();

    public int Registered => _objects.Count;

    public void EndBuild()
    {
        foreach (var value in _objects.Values)
        {
            (value as IDisposable)?.Dispose();
        }

        _objects.Clear();
    }

    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection) => _objects[(key, lifetime)] = obj;

    public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _objects.GetValueOrDefault((key, lifetime));

    public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _objects.Remove((key, lifetime), out var value) ? value : null;

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => Log.ProjectFileOfTaskNode;

    public bool IsRunningMultipleNodes => false;

    public void LogCustomEvent(CustomBuildEventArgs e) => Log.LogCustomEvent(e);

    public void LogErrorEvent(BuildErrorEventArgs e) => Log.LogErrorEvent(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Log.LogMessageEvent(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => Log.LogWarningEvent(e);

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) => throw new NotSupportedException();

    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) => throw new NotSupportedException();

    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => throw new NotSupportedException();

    public void Yield()
    {
    }

    public void Reacquire()
    {
    }
}
