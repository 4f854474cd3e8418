using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Cloud;

/// <summary>
/// Reads VertexProject and VertexRegion from the project file in the current directory with
/// <c>dotnet msbuild -getProperty</c> (SDK 8+), so a bare job id works inside a project folder.
/// Optional: any failure just means "not known".
/// </summary>
internal static class ProjectProperties
{
    public static async Task<(string? Project, string? Region)> TryReadAsync(CliContext context, CancellationToken cancellationToken)
    {
        var projectFiles = Directory.Exists(context.WorkingDirectory)
            ? Directory.GetFiles(context.WorkingDirectory, "*.*proj").Where(f => f.EndsWith("proj", StringComparison.OrdinalIgnoreCase)).ToArray()
            : [];
        if (projectFiles.Length != 1)
        {
            return (null, null);
        }

        try
        {
            var result = await ToolCommand.RunAsync(
                DotnetHost.Path(context),
                ["msbuild", projectFiles[0], "-nologo", $"-getProperty:{VertexProperty.Project}", $"-getProperty:{VertexProperty.Region}"],
                TimeSpan.FromSeconds(60), cancellationToken, context.WorkingDirectory).ConfigureAwait(false);
            if (!result.Succeeded || JsonNode.Parse(result.StandardOutput) is not JsonObject root || root["Properties"] is not JsonObject properties)
            {
                return (null, null);
            }

            return (Value(properties, VertexProperty.Project), Value(properties, VertexProperty.Region));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or System.Text.Json.JsonException)
        {
            return (null, null);
        }
    }

    private static string? Value(JsonObject properties, string name) =>
        properties[name]?.GetValue<string>() is { Length: > 0 } value ? value : null;
}

/// <summary>The dotnet host that runs child builds.</summary>
internal static class DotnetHost
{
    /// <summary>DOTNET_HOST_PATH when set (by the SDK), else <c>dotnet</c> from PATH.</summary>
    public static string Path(CliContext context) => context.Variable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host : "dotnet";
}
