using System.Text.RegularExpressions;

namespace VertexTraining.Core.Configuration;

/// <summary>The shapes of Google Cloud names and URIs, checked locally so a typo fails in seconds.</summary>
public static partial class ResourceFormats
{
    // Project ids: 6-30 chars, lowercase letter first, no trailing hyphen (Resource Manager rules).
    [GeneratedRegex(@"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")]
    public static partial Regex ProjectId();

    // Regions: us-central1, europe-west4, northamerica-northeast1, me-central2 ...
    [GeneratedRegex(@"^[a-z]+-[a-z]+[0-9]+$")]
    public static partial Regex Region();

    // Artifact Registry repository ids: lowercase letters, digits, hyphens; letter first; ≤63.
    [GeneratedRegex(@"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    public static partial Regex ArtifactRepository();

    [GeneratedRegex(@"^[a-z][a-z0-9]*(-[a-z0-9]+)+$|^cloud-tpu$")]
    public static partial Regex MachineType();

    // gs://bucket[/path]: bucket names 3-63 chars of lowercase letters, digits, -, _ and dots.
    [GeneratedRegex(@"^gs://(?<bucket>[a-z0-9][a-z0-9._-]{1,61}[a-z0-9])(/.*)?$")]
    public static partial Regex GcsUri();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9._%+-]*@[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$")]
    public static partial Regex ServiceAccountEmail();

    [GeneratedRegex(@"^projects/[0-9]+/global/networks/[a-z]([-a-z0-9]*[a-z0-9])?$")]
    public static partial Regex Network();

    [GeneratedRegex(@"^projects/[^/]+/locations/[a-z0-9-]+/tensorboards/[0-9]+$")]
    public static partial Regex Tensorboard();

    [GeneratedRegex(@"^projects/[^/]+/locations/[a-z0-9-]+/keyRings/[^/]+/cryptoKeys/[^/]+$")]
    public static partial Regex KmsKeyName();

    // Persistent resource ids: 1-63 chars, lowercase letter first.
    [GeneratedRegex(@"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    public static partial Regex PersistentResourceId();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    public static partial Regex EnvironmentVariableName();

    // Label keys: 1-64 chars, lowercase letter first; lowercase letters, digits, '_' and '-'.
    // International lowercase letters are allowed by the service, hence \p{Ll} and \p{Lo}.
    [GeneratedRegex(@"^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{Nd}_-]{0,63}$")]
    public static partial Regex LabelKey();

    [GeneratedRegex(@"^[\p{Ll}\p{Lo}\p{Nd}_-]{0,64}$")]
    public static partial Regex LabelValue();
}
