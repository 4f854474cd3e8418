using VertexTraining.Core.Api;

namespace VertexTraining.Core.Local;

/// <summary>
/// Tells which pools run "the image just built". The document pins it by registry digest
/// (<c>registry/repo/myapp@sha256:...</c>), which the local engine does not have under that name, so pools are
/// matched by repository name (<c>myapp</c>). When the document uses one image only, it is the built one.
/// </summary>
internal static class BuiltImage
{
    /// <param name="spec">The job spec.</param>
    /// <param name="builtReference">The local image's name (e.g. <c>docker.io/library/myapp:latest</c>), when known.</param>
    public static Func<string, bool> Matcher(CustomJobSpec spec, string? builtReference)
    {
        var images = (spec.WorkerPoolSpecs ?? [])
            .Select(p => p.ContainerSpec?.ImageUri)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (images.Count <= 1)
        {
            return _ => true;
        }

        if (builtReference is not null && images.Any(i => RepositoryName(i) == RepositoryName(builtReference)))
        {
            var name = RepositoryName(builtReference);
            return image => RepositoryName(image) == name;
        }

        var primary = spec.WorkerPoolSpecs?.FirstOrDefault()?.ContainerSpec?.ImageUri;
        return image => image == primary;
    }

    /// <summary>The last path segment without tag or digest: <c>a.b/c/myapp:1@sha256:x</c> → <c>myapp</c>.</summary>
    public static string RepositoryName(string reference)
    {
        var withoutDigest = reference.Split('@')[0];
        var last = withoutDigest.Split('/')[^1];
        var colon = last.IndexOf(':');
        return (colon >= 0 ? last[..colon] : last).ToLowerInvariant();
    }
}
