using Microsoft.Build.Framework;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// Lets the SDK's container push authenticate to Artifact Registry with an access token from
/// Application Default Credentials (user <c>oauth2accesstoken</c>), without gcloud or docker.
/// </summary>
/// <remarks>
/// The token is fetched by the CLI (so Google.Apis.Auth never loads into MSBuild) and handed to the
/// SDK through the variables it reads, set in this build process only: it is never a task parameter,
/// a property, a command-line argument or a file, so no log or binlog can contain it. MSBuild resets
/// the environment per project configuration, which is why this runs inside the image build,
/// right before PublishContainer.
/// </remarks>
public sealed class SetVertexRegistryCredentials : Microsoft.Build.Utilities.Task
{
    private const string UserVariable = "DOTNET_CONTAINER_PUSH_REGISTRY_UNAME";
    private const string PasswordVariable = "DOTNET_CONTAINER_PUSH_REGISTRY_PWORD";
    private const string PullUserVariable = "DOTNET_CONTAINER_PULL_REGISTRY_UNAME";
    private const string PullPasswordVariable = "DOTNET_CONTAINER_PULL_REGISTRY_PWORD";

    /// <summary>The dotnet host that runs the CLI.</summary>
    [Required]
    public string DotnetHost { get; set; } = "";

    /// <summary>Path of dotnet-vertex.dll.</summary>
    [Required]
    public string CliAssembly { get; set; } = "";

    /// <summary>The registry being pushed to, for messages.</summary>
    public string? Registry { get; set; }

    /// <summary>
    /// The base image. When it also lives in Google's registries (a private CUDA mirror in Artifact
    /// Registry), the same token is used to pull it; for any other base the pull stays anonymous.
    /// </summary>
    public string? BaseImage { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(UserVariable)))
        {
            Log.LogMessage(MessageImportance.Normal, $"VertexTraining: {UserVariable} is set; pushing with those credentials.");
            return true;
        }

        var result = CliRunner.Run(DotnetHost, CliAssembly, ["auth", "print-access-token"], TimeSpan.FromMinutes(2));
        var token = result.StandardOutput.Trim();
        if (result.ExitCode != 0 || token.Length == 0 || token.Contains('\n'))
        {
            // The CLI's stderr carries its VTX3xxx diagnosis (which credential source, how to fix it).
            var reason = result.StandardError.Trim();
            return Log.LogVertexError(DiagnosticCodes.RegistryTokenUnavailable, "VertexRegistryAuth", BuildEngine.ProjectFileOfTaskNode,
                $"Could not get an access token to push to {Registry}: {(reason.Length > 0 ? reason : "dotnet-vertex auth print-access-token failed with exit code " + result.ExitCode)}. "
                + $"Run 'dotnet vertex auth check', or set {UserVariable} and {PasswordVariable}.");
        }

        Environment.SetEnvironmentVariable(UserVariable, "oauth2accesstoken");
        Environment.SetEnvironmentVariable(PasswordVariable, token);
        if (IsGoogleRegistry(BaseImage) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PullUserVariable)))
        {
            Environment.SetEnvironmentVariable(PullUserVariable, "oauth2accesstoken");
            Environment.SetEnvironmentVariable(PullPasswordVariable, token);
        }

        Log.LogMessage(MessageImportance.Normal, $"VertexTraining: pushing to {Registry} as oauth2accesstoken with an Application Default Credentials token.");
        return true;
    }

    private static bool IsGoogleRegistry(string? image)
    {
        var registry = image?.Split('/')[0] ?? "";
        return registry.EndsWith(".pkg.dev", StringComparison.OrdinalIgnoreCase) || registry.EndsWith("gcr.io", StringComparison.OrdinalIgnoreCase);
    }
}
