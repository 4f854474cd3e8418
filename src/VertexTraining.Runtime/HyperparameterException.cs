namespace VertexTraining.Runtime;

/// <summary>
/// A hyperparameter is missing or its value cannot be read as the type the training app asked for.
/// </summary>
public sealed class HyperparameterException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="parameterName">The hyperparameter's name, without the leading <c>--</c>.</param>
    /// <param name="value">The value given on the command line, or <see langword="null"/> when it was missing.</param>
    /// <param name="expectedType">The type the value had to be read as.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The parse error, if any.</param>
    public HyperparameterException(string parameterName, string? value, Type expectedType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ParameterName = parameterName;
        Value = value;
        ExpectedType = expectedType;
    }

    /// <summary>The hyperparameter's name, without the leading <c>--</c>.</summary>
    public string ParameterName { get; }

    /// <summary>The value given on the command line, or <see langword="null"/> when it was missing.</summary>
    public string? Value { get; }

    /// <summary>The type the value had to be read as.</summary>
    public Type ExpectedType { get; }
}
