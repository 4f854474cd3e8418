namespace VertexTraining.Core.Containers;

/// <summary>
/// An image name split as Docker and the .NET SDK split it (distribution/reference's grammar): the
/// first path component is a registry when it has a '.' or a ':' or is <c>localhost</c>; otherwise
/// the image is on Docker Hub (<c>docker.io</c>), where a one-component name lives under
/// <c>library/</c>. The reference is the tag (default <c>latest</c>) or the <c>@sha256:...</c> digest.
/// </summary>
public sealed record ImageReference(string Registry, string Repository, string Reference)
{
    public const string DockerHub = "docker.io";

    public static ImageReference Parse(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var name = image.Trim();
        string? reference = null;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            reference = name[(at + 1)..];
            name = name[..at];
        }

        // A tag's ':' comes after the last '/', so a registry's port is not mistaken for one.
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            reference ??= name[(colon + 1)..];
            name = name[..colon];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : name[..slash];
        var hasRegistry = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        var registry = hasRegistry ? first : DockerHub;
        var repository = hasRegistry ? name[(slash + 1)..] : name;
        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        return new ImageReference(registry, repository, reference ?? "latest");
    }

    public override string ToString() =>
        $"{Registry}/{Repository}{(Reference.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":")}{Reference}";
}
