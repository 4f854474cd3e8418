using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Names the image that adds one layer on top of another: a tag derived from everything that
/// decides that image's content. The same inputs always give the same tag, so the registry itself
/// remembers what was built, for every machine that pushes there.
/// </summary>
public sealed class ComputeVertexLayerTag : Microsoft.Build.Utilities.Task
{
    // Bump when what goes into an image changes, so images built by older rules are not reused.
    private const string Scheme = "vertex-layers/1";

    // These labels record when an image was built; they do not describe its content.
    private static readonly HashSet<string> TimestampLabels = new(StringComparer.Ordinal)
    {
        "org.opencontainers.image.created",
        "org.opencontainers.artifact.created",
    };

    /// <summary>runtime, dependencies or app: the tag's prefix.</summary>
    [Required]
    public string Layer { get; set; } = "";

    /// <summary>ContentHash of the staged layer.</summary>
    [Required]
    public string ContentHash { get; set; } = "";

    /// <summary>The image below, by digest (name@sha256:...).</summary>
    [Required]
    public string Below { get; set; } = "";

    /// <summary>
    /// What else shapes the image, in order: item identity plus metadata Kind, Value and Type
    /// (ContainerEnvironmentVariables, ContainerLabel, ContainerPort, app command, user, ...).
    /// </summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>vertex-{Layer}-{32 hex characters}.</summary>
    [Output]
    public string Tag { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        var text = new StringBuilder()
            .Append(Scheme).Append('\n')
            .Append(Layer).Append('\n')
            .Append(Below).Append('\n')
            .Append(ContentHash).Append('\n');
        foreach (var setting in Settings)
        {
            var kind = setting.GetMetadata("Kind");
            if (kind == "label" && TimestampLabels.Contains(setting.ItemSpec))
            {
                continue;
            }

            text.Append(kind).Append('\0').Append(setting.ItemSpec).Append('\0')
                .Append(setting.GetMetadata("Value")).Append('\0').Append(setting.GetMetadata("Type")).Append('\n');
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
        Tag = $"vertex-{Layer.ToLowerInvariant()}-{hash[..32]}";
        return true;
    }
}
