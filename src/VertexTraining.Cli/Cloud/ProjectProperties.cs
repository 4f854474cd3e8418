using System.Diagnostics;
using System.Text.Json.Nodes;

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

        var start = new ProcessStartInfo(DotnetHost.Path(context))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = context.WorkingDirectory,
        };
        foreach (var argument in new[] { "msbuild", projectFiles[0], "-nologo", "-getProperty:VertexProject", "-getProperty:VertexRegion" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            _ = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            if (process.ExitCode != 0 || JsonNode.Parse(await output.ConfigureAwait(false)) is not JsonObject root || root["Properties"] is not JsonObject properties)
            {
                return (null, null);
            }

            return (Value(properties, "VertexProject"), Value(properties, "VertexRegion"));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or System.Text.Json.JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
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
