using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// A user-facing failure while talking to Google Cloud: authentication (VTX3xxx) or the Vertex AI and
/// Cloud Logging APIs (VTX4xxx). The message says what happened and what to do about it.
/// </summary>
public class VertexCloudException : Exception
{
    /// <summary>Creates the exception with its VTX code.</summary>
    public VertexCloudException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>One of <see cref="DiagnosticCodes"/>.</summary>
    public string Code { get; }

    /// <summary>
    /// True when the cause is likely to pass (outage, timeout, token endpoint down), so a follower keeps
    /// trying; false for answers such as 400, 403 or 404, which repeating would not change.
    /// </summary>
    public bool IsTransient { get; init; }

    /// <summary>The same problem as a diagnostic, printed in MSBuild's canonical format by the CLI.</summary>
    public VertexDiagnostic ToDiagnostic(string subject = "dotnet-vertex") => new(Code, subject, Message);
}

/// <summary>An error returned by (or on the way to) a Google REST API.</summary>
public sealed class CloudApiException : VertexCloudException
{
    /// <summary>Creates the exception.</summary>
    public CloudApiException(string code, string message, int? httpStatus, string? serviceStatus, string? serviceMessage, Exception? innerException = null)
        : base(code, message, innerException)
    {
        HttpStatus = httpStatus;
        ServiceStatus = serviceStatus;
        ServiceMessage = serviceMessage;
    }

    /// <summary>The HTTP status, or null when no response arrived (network fault, timeout).</summary>
    public int? HttpStatus { get; }

    /// <summary>The canonical status name from the error body, e.g. <c>NOT_FOUND</c>.</summary>
    public string? ServiceStatus { get; }

    /// <summary>The service's own message from the error body.</summary>
    public string? ServiceMessage { get; }
}
