namespace VertexTraining.Runtime.Tests;

/// <summary>Tests that set real process environment variables run alone, since the environment is process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
