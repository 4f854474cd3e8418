using System.Security.Cryptography;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>Content digests as OCI writes them: <c>sha256:</c> and 64 lower-case hex digits.</summary>
internal static class OciDigest
{
    /// <summary>The digest of <paramref name="content"/>.</summary>
    public static string Of(byte[] content) => FromSha256(SHA256.HashData(content));

    /// <summary>The digest whose SHA-256 is <paramref name="hash"/>.</summary>
    public static string FromSha256(byte[] hash) => "sha256:" + Convert.ToHexString(hash).ToLowerInvariant();
}
