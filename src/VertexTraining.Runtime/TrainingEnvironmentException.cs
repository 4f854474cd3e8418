namespace VertexTraining.Runtime;

/// <summary>An environment variable that describes the training job holds a value that cannot be read.</summary>
public sealed class TrainingEnvironmentException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="variableName">The environment variable at fault.</param>
    /// <param name="message">The message; it names the variable.</param>
    /// <param name="innerException">The parse error, if any.</param>
    public TrainingEnvironmentException(string variableName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        VariableName = variableName;
    }

    /// <summary>The environment variable at fault, e.g. <c>CLUSTER_SPEC</c>.</summary>
    public string VariableName { get; }
}
