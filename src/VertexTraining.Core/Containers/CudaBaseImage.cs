using NuGet.Versioning;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Containers;

/// <summary>
/// Resolves <c>VertexCudaVersion</c> / <c>VertexCudaFlavor</c> / <c>VertexUbuntuVersion</c> to a
/// published <c>nvidia/cuda</c> tag. The table lists tags known to exist, so a typo fails here
/// instead of as a pull error after the app has been published.
/// </summary>
public static class CudaBaseImage
{
    public const string DefaultRepository = "nvidia/cuda";
    public const string DefaultVersion = "12.4.1";
    public const string DefaultFlavor = "cudnn-runtime";
    public const string DefaultUbuntu = "22.04";

    public static readonly string[] Flavors = ["base", "runtime", "cudnn-runtime"];
    public static readonly string[] UbuntuVersions = ["22.04", "24.04"];

    private sealed record KnownRelease(NuGetVersion Version, string[] Flavors, string[] Ubuntus);

    // Since CUDA 12.4 the cuDNN images are tagged "cudnn-runtime"; earlier ones used cudnn8/cudnn9
    // prefixes, which we do not offer. Ubuntu 24.04 images start with 12.6.
    private static readonly KnownRelease[] Known =
    [
        .. Releases(["12.0.0", "12.0.1", "12.1.0", "12.1.1", "12.2.0", "12.2.2", "12.3.0", "12.3.1", "12.3.2"], ["base", "runtime"], ["22.04"]),
        .. Releases(["12.4.0", "12.4.1", "12.5.0", "12.5.1"], Flavors, ["22.04"]),
        .. Releases(["12.6.0", "12.6.1", "12.6.2", "12.6.3", "12.8.0", "12.8.1", "12.9.0", "12.9.1", "13.0.0", "13.0.1"], Flavors, UbuntuVersions),
    ];

    /// <summary>Every known version, oldest first.</summary>
    public static IReadOnlyList<string> KnownVersions { get; } = [.. Known.Select(k => k.Version.ToNormalizedString())];

    /// <summary>The known versions, oldest first, that come as <paramref name="flavor"/> on Ubuntu <paramref name="ubuntu"/>.</summary>
    public static IReadOnlyList<string> OfferedVersions(string flavor, string ubuntu) =>
        [.. Known.Where(k => k.Flavors.Contains(flavor) && k.Ubuntus.Contains(ubuntu)).Select(k => k.Version.ToNormalizedString())];

    /// <summary>
    /// The full image reference, e.g. <c>nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04</c>, or null
    /// with errors in <paramref name="diagnostics"/>.
    /// </summary>
    public static string? Resolve(string? version, string? flavor, string? ubuntu, string? repository, DiagnosticBag diagnostics)
    {
        version ??= DefaultVersion;
        flavor = (flavor ?? DefaultFlavor).ToLowerInvariant();
        ubuntu = (ubuntu ?? DefaultUbuntu).Replace("ubuntu", "", StringComparison.OrdinalIgnoreCase);
        var errors = diagnostics.Items.Count;

        if (!Flavors.Contains(flavor))
        {
            diagnostics.Error(DiagnosticCodes.UnknownCudaFlavor, "VertexCudaFlavor",
                $"VertexCudaFlavor is '{flavor}'; valid flavors are {string.Join(", ", Flavors)}.");
        }

        if (!UbuntuVersions.Contains(ubuntu))
        {
            diagnostics.Error(DiagnosticCodes.UnknownUbuntuVersion, "VertexUbuntuVersion",
                $"VertexUbuntuVersion is '{ubuntu}'; valid versions are {string.Join(", ", UbuntuVersions)}.");
        }

        var release = FindRelease(version, diagnostics);
        if (diagnostics.Items.Count > errors || release is null)
        {
            return null;
        }

        if (!release.Flavors.Contains(flavor) || !release.Ubuntus.Contains(ubuntu))
        {
            var offered = OfferedVersions(flavor, ubuntu);
            diagnostics.Error(DiagnosticCodes.CudaFlavorNotAvailable, "VertexCudaFlavor",
                $"nvidia/cuda has no '{flavor}' image for CUDA {release.Version} on Ubuntu {ubuntu}; CUDA {release.Version} comes as {string.Join(", ", release.Flavors)} on Ubuntu {string.Join(", ", release.Ubuntus)}. "
                + $"'{flavor}' on Ubuntu {ubuntu} exists for CUDA {string.Join(", ", offered)}.");
            return null;
        }

        return $"{(string.IsNullOrWhiteSpace(repository) ? DefaultRepository : repository.TrimEnd('/'))}:{release.Version.ToNormalizedString()}-{flavor}-ubuntu{ubuntu}";
    }

    /// <summary><c>12.4</c> means the newest known 12.4.x; <c>12.4.1</c> must be known exactly.</summary>
    private static KnownRelease? FindRelease(string text, DiagnosticBag diagnostics)
    {
        var parts = text.Split('.');
        if (parts.Length is < 2 or > 3 || !NuGetVersion.TryParseStrict(parts.Length == 2 ? text + ".0" : text, out var requested) || requested.IsPrerelease)
        {
            diagnostics.Error(DiagnosticCodes.UnknownCudaVersion, "VertexCudaVersion",
                $"VertexCudaVersion is '{text}'; expected major.minor (e.g. 12.4, the newest patch) or major.minor.patch (e.g. 12.4.1). Known versions: {string.Join(", ", KnownVersions)}.");
            return null;
        }

        var match = parts.Length == 2
            ? Known.Where(k => k.Version.Major == requested.Major && k.Version.Minor == requested.Minor).MaxBy(k => k.Version)
            : Known.FirstOrDefault(k => k.Version == requested);
        if (match is null)
        {
            diagnostics.Error(DiagnosticCodes.UnknownCudaVersion, "VertexCudaVersion",
                $"VertexCudaVersion '{text}' is not a known nvidia/cuda release; the nearest known are {string.Join(", ", Nearest(requested))}. "
                + "To use another base image, set ContainerBaseImage.");
        }

        return match;
    }

    /// <summary>The known versions just below and just above the requested one.</summary>
    private static IEnumerable<string> Nearest(NuGetVersion requested)
    {
        var below = Known.Where(k => k.Version < requested).OrderByDescending(k => k.Version).Take(2).Reverse();
        var above = Known.Where(k => k.Version > requested).OrderBy(k => k.Version).Take(2);
        return below.Concat(above).Select(k => k.Version.ToNormalizedString());
    }

    private static IEnumerable<KnownRelease> Releases(string[] versions, string[] flavors, string[] ubuntus) =>
        versions.Select(v => new KnownRelease(NuGetVersion.Parse(v), flavors, ubuntus));
}
