using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Points tags at an image already in the repository (an unchanged app reuses the image built
/// before). Only the manifest is written again; no layer moves. Never fails the build: on failure
/// the image is built and pushed by the SDK instead.
/// </summary>
public sealed class TagVertexImage : Microsoft.Build.Utilities.Task
{
    /// <summary>Registry host.</summary>
    [Required]
    public string Registry { get; set; } = "";

    /// <summary>Repository inside the registry.</summary>
    [Required]
    public string Repository { get; set; } = "";

    /// <summary>The image (sha256:...).</summary>
    [Required]
    public string Digest { get; set; } = "";

    /// <summary>@(ContainerImageTags).</summary>
    public ITaskItem[] Tags { get; set; } = [];

    /// <summary>The manifest's media type.</summary>
    [Output]
    public string MediaType { get; private set; } = "";

    /// <summary>Why tagging failed; empty on success.</summary>
    [Output]
    public string Failure { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        try
        {
            using var lease = RegistrySessions.Open(BuildEngine, Registry, push: true);
            var client = lease.Client;
            var manifest = client.GetManifestAsync(Repository, Digest, push: true, CancellationToken.None).GetAwaiter().GetResult()
                ?? throw new RegistryException($"{Repository}@{Digest} is gone");
            if (manifest.Digest != Digest)
            {
                throw new RegistryException($"{Repository}@{Digest} came back as {manifest.Digest}");
            }

            MediaType = manifest.MediaType;
            foreach (var tag in Tags.Select(t => t.ItemSpec).Distinct(StringComparer.Ordinal))
            {
                var current = client.FindDigestAsync(Repository, tag, push: true, CancellationToken.None).GetAwaiter().GetResult();
                if (current == Digest)
                {
                    continue;
                }

                client.PutManifestAsync(Repository, tag, manifest, CancellationToken.None).GetAwaiter().GetResult();
                Log.LogMessage(MessageImportance.Normal, $"VertexTraining: tagged {Registry}/{Repository}:{tag} -> {Digest}");
            }
        }
        catch (Exception ex) when (ex is RegistryException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or UriFormatException)
        {
            Failure = ex.Message;
        }

        return true;
    }
}
