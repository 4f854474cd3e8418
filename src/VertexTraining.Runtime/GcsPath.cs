namespace VertexTraining.Runtime;

/// <summary>
/// Maps Cloud Storage URIs to the Cloud Storage FUSE mount that Vertex AI provides on every training node,
/// and back: <c>gs://bucket/path</c> ↔ <c>/gcs/bucket/path</c>.
/// </summary>
/// <remarks>
/// The mount is not fully POSIX-compliant (no atomic renames, no file locks); write checkpoints and models as
/// whole files. Paths that are neither form are returned unchanged, so local folders (as the local runner
/// sets them) pass through.
/// </remarks>
public static class GcsPath
{
    /// <summary>The URI scheme prefix of Cloud Storage objects.</summary>
    public const string UriPrefix = "gs://";

    /// <summary>The directory under which Vertex AI mounts the buckets the job can access.</summary>
    public const string MountRoot = "/gcs/";

    /// <summary>Whether <paramref name="path"/> is a <c>gs://</c> URI.</summary>
    /// <param name="path">A URI or path.</param>
    public static bool IsGcsUri(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.StartsWith(UriPrefix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="path"/> lies on the FUSE mount (<c>/gcs/bucket...</c>).</summary>
    /// <param name="path">A URI or path.</param>
    public static bool IsMountPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.StartsWith(MountRoot, StringComparison.Ordinal) && path.Length > MountRoot.Length && path[MountRoot.Length] != '/';
    }

    /// <summary>Maps <c>gs://bucket/path</c> to <c>/gcs/bucket/path</c>; any other path is returned unchanged.</summary>
    /// <param name="path">A <c>gs://</c> URI or a local path.</param>
    /// <exception cref="ArgumentException">The URI names no bucket (<c>gs://</c> or <c>gs:///x</c>).</exception>
    public static string ToLocal(string path)
    {
        if (!IsGcsUri(path))
        {
            return path;
        }

        var bucketAndObject = path[UriPrefix.Length..];
        if (bucketAndObject.Length == 0 || bucketAndObject[0] == '/')
        {
            throw new ArgumentException($"'{path}' names no bucket; expected gs://BUCKET/PATH.", nameof(path));
        }

        return MountRoot + bucketAndObject;
    }

    /// <summary>Maps <c>/gcs/bucket/path</c> to <c>gs://bucket/path</c>; any other path is returned unchanged.</summary>
    /// <param name="path">A path on the FUSE mount, or any other path or URI.</param>
    public static string ToGcsUri(string path) =>
        IsMountPath(path) ? UriPrefix + path[MountRoot.Length..] : path;
}
