using Microsoft.Build.Framework;
using VertexTraining.Core.Containers;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Asks the base image's registry whether the base can be had, before anything is built. Without
/// it, a machine that cannot reach Docker Hub learns so from the SDK's CONTAINER2020 and an
/// MSB4018 stack trace in the middle of the image build; with it, a local run in auto mode falls
/// back to process mode and says why, and everything else stops with one coded error (VTX2070).
/// </summary>
public sealed class CheckVertexBaseImage : Microsoft.Build.Utilities.Task
{
    // Long enough for a token handshake over a slow link; short enough that an unreachable
    // registry does not hold a local run up.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>The base image (e.g. nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04).</summary>
    [Required]
    public string BaseImage { get; set; } = "";

    /// <summary>The registry pushed to: a base there is read with the push credentials, as the SDK does.</summary>
    public string? OutputRegistry { get; set; }

    /// <summary>Why the base cannot be had; empty when the registry has it.</summary>
    [Output]
    public string Failure { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        ImageReference image;
        try
        {
            image = ImageReference.Parse(BaseImage);
        }
        catch (ArgumentException)
        {
            return true; // An empty name is reported by the SDK with its own code.
        }

        using var patience = new CancellationTokenSource(Patience);
        try
        {
            using var lease = RegistrySessions.Open(BuildEngine, image.Registry, push: false, string.Equals(image.Registry, OutputRegistry, StringComparison.OrdinalIgnoreCase));
            var digest = lease.Client.FindDigestAsync(image.Repository, image.Reference, push: false, patience.Token).GetAwaiter().GetResult();
            Failure = digest is null ? $"{image.Registry} has no {image.Repository}:{image.Reference}" : "";
        }
        catch (Exception ex) when (ex is RegistryException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or UriFormatException)
        {
            Failure = ex is OperationCanceledException
                ? $"{image.Registry} did not answer within {Patience.TotalSeconds:0} s"
                : $"{image.Registry}: {ex.Message}";
        }

        Log.LogMessage(MessageImportance.Low, $"VertexTraining: base image {image}: {(Failure.Length == 0 ? "available" : Failure)}");
        return true;
    }
}
