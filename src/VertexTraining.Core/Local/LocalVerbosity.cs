namespace VertexTraining.Core.Local;

/// <summary>The values of VertexLocalVerbosity; <see cref="Detailed"/> becomes <c>local-run --verbose</c>.</summary>
public static class LocalVerbosity
{
    /// <summary>A tuning job prints one line per trial event and a summary; custom jobs stream their output.</summary>
    public const string Normal = "normal";

    /// <summary>Every task's output lines are streamed too.</summary>
    public const string Detailed = "detailed";
}
