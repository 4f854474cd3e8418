using VertexTraining.Core.Cloud;

namespace VertexTraining.Cli.Auth;

/// <summary>A VTX3xxx problem with credentials: the message names the source tried and the fix.</summary>
internal sealed class CredentialException(string code, string message, Exception? innerException = null)
    : VertexCloudException(code, message, innerException);
