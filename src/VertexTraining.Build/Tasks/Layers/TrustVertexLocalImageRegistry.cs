using Microsoft.Build.Framework;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Lets the SDK talk plain HTTP to the build's own loopback registry: it uses https for every
/// registry not listed in DOTNET_CONTAINER_INSECURE_REGISTRIES. Set in this build process only,
/// inside the image build (MSBuild resets the environment per project configuration).
/// </summary>
public sealed class TrustVertexLocalImageRegistry : Microsoft.Build.Utilities.Task
{
    /// <summary>127.0.0.1:PORT, as <see cref="StartVertexLocalImageRegistry"/> returned it.</summary>
    [Required]
    public string Address { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!LoopbackPorts.IsOnHost(Address))
        {
            return Log.LogVertexError(DiagnosticCodes.LocalImageRegistryNotLoopback, "Address", BuildEngine.ProjectFileOfTaskNode,
                $"'{Address}' is not a loopback registry; only the build's own registry (127.0.0.1:PORT, as StartVertexLocalImageRegistry returns it) is trusted over plain HTTP.");
        }

        if (!RegistryClient.IsInsecure(Address))
        {
            var current = Environment.GetEnvironmentVariable(RegistryClient.InsecureRegistriesVariable) ?? "";
            Environment.SetEnvironmentVariable(RegistryClient.InsecureRegistriesVariable, current.Length == 0 ? Address : current + ";" + Address);
        }

        return true;
    }
}
