using Microsoft.Build.Framework;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Starts (once per build) the loopback registry that local container runs push their layered
/// image to, so the local engine gets the same content-keyed layers as a cloud registry: the
/// SDK's CreateNewImage can stack images only on a base it reads from a registry, and an engine
/// pulling by digest fetches only the layers it does not have yet.
/// </summary>
/// <remarks>
/// The registry serves a per-user store (content-addressed, shared by every project, kept between
/// builds) and lives as long as the build: MSBuild disposes it when the build ends, after the
/// local run has pulled the image.
/// </remarks>
public sealed class StartVertexLocalImageRegistry : Microsoft.Build.Utilities.Task
{
    /// <summary>127.0.0.1:PORT of the running registry.</summary>
    [Output]
    public string Address { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        var store = Path.GetFullPath(DefaultStore());
        var key = "VertexTraining.LocalImageRegistry|" + store;
        if (BuildEngine4.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is LocalImageRegistry running)
        {
            Address = running.Address;
            return true;
        }

        try
        {
            // The store holds the user's training code: other users of the machine need not read it.
            if (!OperatingSystem.IsWindows() && !Directory.Exists(store))
            {
                Directory.CreateDirectory(store, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var registry = LocalImageRegistry.Start(store);
            BuildEngine4.RegisterTaskObject(key, registry, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
            Address = registry.Address;
            Log.LogMessage(MessageImportance.Normal, $"VertexTraining: local image registry on {Address} (store {store})");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.HttpListenerException or System.Net.Sockets.SocketException)
        {
            return Log.LogVertexError(DiagnosticCodes.LocalImageRegistryFailed, "VertexImageLayers", BuildEngine.ProjectFileOfTaskNode,
                $"Could not start the local image registry on 127.0.0.1 with its store in {store}: {ex.Message}. "
                + "Set VertexImageLayers=single to load the image into the container engine as one archive instead.");
        }
    }

    /// <summary>$XDG_CACHE_HOME/vertex-training/images, else ~/.cache/vertex-training/images (LocalApplicationData on Windows).</summary>
    private static string DefaultStore()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
        {
            cache = OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }

        return Path.Combine(cache, "vertex-training", "images");
    }
}
