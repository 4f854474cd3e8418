using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Asks a registry which digest a tag points to. Never fails the build: an image that cannot be
/// found is built (and pushed) by the SDK, which reports its own errors if the registry is at fault.
/// </summary>
public sealed class FindVertexImageDigest : Microsoft.Build.Utilities.Task
{
    /// <summary>Registry host (docker.io, host:port).</summary>
    [Required]
    public string Registry { get; set; } = "";

    /// <summary>Repository inside the registry.</summary>
    [Required]
    public string Repository { get; set; } = "";

    /// <summary>Tag or digest; empty means latest.</summary>
    public string? Reference { get; set; }

    /// <summary>True for the registry being pushed to (push credentials); false for a base image's registry.</summary>
    public bool Push { get; set; }

    /// <summary>The registry being pushed to: a base there is read with the push credentials, as the SDK does.</summary>
    public string? OutputRegistry { get; set; }

    /// <summary>sha256:... when the image exists; empty when it does not or the registry could not tell.</summary>
    [Output]
    public string Digest { get; private set; } = "";

    /// <summary>Why the registry could not tell; empty when it answered.</summary>
    [Output]
    public string Failure { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        var reference = string.IsNullOrEmpty(Reference) ? "latest" : Reference;
        try
        {
            using var lease = RegistrySessions.Open(BuildEngine, Registry, Push, string.Equals(Registry, OutputRegistry, StringComparison.OrdinalIgnoreCase));
            Digest = lease.Client.FindDigestAsync(Repository, reference, Push, CancellationToken.None).GetAwaiter().GetResult() ?? "";
            Log.LogMessage(MessageImportance.Low, $"VertexTraining: {Registry}/{Repository}:{reference} -> {(Digest.Length > 0 ? Digest : "not found")}");
        }
        catch (Exception ex) when (ex is RegistryException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or UriFormatException)
        {
            Failure = $"{Registry}/{Repository}:{reference}: {ex.Message}";
        }

        return true;
    }
}
