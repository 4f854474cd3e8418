using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>A local run could not start or go on, for a reason the user can fix; carries a VTX code.</summary>
public sealed class LocalRunException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">One of the VTX5xxx (or VTX1xxx for a malformed document) <see cref="DiagnosticCodes"/>.</param>
    /// <param name="message">What went wrong and what to do about it.</param>
    /// <param name="isConfigurationError">Whether the command line or the document is at fault (exit code 2) rather than this machine (exit code 6).</param>
    /// <param name="inner">The underlying error, if any.</param>
    public LocalRunException(string code, string message, bool isConfigurationError = false, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        IsConfigurationError = isConfigurationError;
    }

    /// <summary>The VTX code.</summary>
    public string Code { get; }

    /// <summary>Whether the input is at fault (bad configuration) rather than the machine (local execution failed).</summary>
    public bool IsConfigurationError { get; }

    /// <summary>The diagnostic to print.</summary>
    public VertexDiagnostic ToDiagnostic() => new(Code, "local-run", Message);
}
