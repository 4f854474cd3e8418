using VertexTraining.Core.Containers;

namespace VertexTraining.Core.Native;

/// <summary>An <c>nvidia/cuda</c> image, answered from <see cref="CudaImageFacts"/>.</summary>
/// <param name="Name">The image reference.</param>
/// <param name="CudaVersion">e.g. 12.4.1.</param>
/// <param name="CudaMajor">e.g. 12.</param>
/// <param name="Flavor">base, runtime or cudnn-runtime (devel tags map to the runtime they extend).</param>
/// <param name="Ubuntu">The Ubuntu release's C and C++ runtime.</param>
public sealed record CudaImageNativeBase(string Name, string CudaVersion, int CudaMajor, string Flavor, UbuntuRuntime Ubuntu) : INativeBase
{
    private static readonly HashSet<string> GlibcSonames = new(StringComparer.Ordinal)
    {
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2",
    };

    /// <inheritdoc />
    public Answer Soname(string soname)
    {
        if (CudaImageFacts.AlwaysPresent.Contains(soname))
        {
            return Answer.Present;
        }

        if (CudaImageFacts.Identify(soname) is not var (library, builtFor))
        {
            return Answer.NotChecked;
        }

        if (builtFor is { } major && major != CudaMajor)
        {
            var ours = library.SonameByCudaMajor.TryGetValue(CudaMajor, out var s) ? s : $"no lib{library.Name}";
            return new(Availability.Missing,
                $"CUDA {CudaVersion} has {ours}",
                $"VertexCudaVersion={NewestVersion(major, Flavor, Ubuntu.Ubuntu) ?? major + ".x"} (a CUDA {major} base)",
                "VertexCudaVersion");
        }

        if (!library.SonameByCudaMajor.TryGetValue(CudaMajor, out var provided) || provided != soname)
        {
            return new(Availability.Missing, $"CUDA {CudaVersion} has no {soname}", $"a CUDA version that has {soname}", "VertexCudaVersion");
        }

        return Rank(Flavor) >= Rank(library.Flavor)
            ? Answer.Present
            : new(Availability.Missing,
                $"the '{Flavor}' flavour has no {soname} (it comes with '{library.Flavor}')",
                $"VertexCudaFlavor={library.Flavor}",
                "VertexCudaFlavor");
    }

    /// <inheritdoc />
    public Answer Version(VersionNeed need)
    {
        var (limit, source) = need switch
        {
            _ when GlibcSonames.Contains(need.File) && need.Version.StartsWith("GLIBC_", StringComparison.Ordinal) => ("GLIBC_" + Ubuntu.Glibc, (Func<UbuntuRuntime, string>)(u => "GLIBC_" + u.Glibc)),
            { File: "libstdc++.so.6" } when need.Version.StartsWith("GLIBCXX_", StringComparison.Ordinal) => ("GLIBCXX_" + Ubuntu.Glibcxx, u => "GLIBCXX_" + u.Glibcxx),
            { File: "libstdc++.so.6" } when need.Version.StartsWith("CXXABI_", StringComparison.Ordinal) => ("CXXABI_" + Ubuntu.CxxAbi, u => "CXXABI_" + u.CxxAbi),
            _ => (null, null),
        };
        if (limit is null || source is null || SymbolVersion.Compare(need.Version, limit) is not { } order)
        {
            return Answer.NotChecked;
        }

        if (order <= 0)
        {
            return Answer.Present;
        }

        var has = $"Ubuntu {Ubuntu.Ubuntu} has up to {limit} ({Ubuntu.Source})";
        var newer = CudaImageFacts.Ubuntus
            .Where(u => CudaBaseImage.UbuntuVersions.Contains(u.Ubuntu) && SymbolVersion.Compare(need.Version, source(u)) <= 0)
            .Select(u => (Ubuntu: u, Version: NewestVersion(CudaMajor, Flavor, u.Ubuntu)))
            .FirstOrDefault(u => u.Version is not null);
        if (newer.Version is null)
        {
            return new(Availability.Missing, has,
                $"no nvidia/cuda base we know has {need.Version}: rebuild the library with an older toolchain, or set ContainerBaseImage to an image that has it",
                "VertexUbuntuVersion");
        }

        var fix = $"VertexUbuntuVersion={newer.Ubuntu.Ubuntu} ({source(newer.Ubuntu)})";
        if (!CudaBaseImage.OfferedVersions(Flavor, newer.Ubuntu.Ubuntu).Contains(CudaVersion))
        {
            fix += $" with VertexCudaVersion={newer.Version} (CUDA {CudaVersion} has no Ubuntu {newer.Ubuntu.Ubuntu} image)";
        }

        return new(Availability.Missing, has, fix, "VertexUbuntuVersion");
    }

    /// <inheritdoc />
    public string? LighterFlavor(IReadOnlyCollection<string> stillNeeded)
    {
        var lightest = CudaImageFacts.FlavorOrder.FirstOrDefault(flavor =>
            stillNeeded.All(soname => (this with { Flavor = flavor }).Soname(soname).Availability != Availability.Missing));
        return lightest is not null && Rank(lightest) < Rank(Flavor) ? lightest : null;
    }

    private static int Rank(string flavor) => CudaImageFacts.FlavorOrder.ToList().IndexOf(flavor);

    /// <summary>The newest known CUDA version of <paramref name="major"/> that comes in this flavour on this Ubuntu.</summary>
    private static string? NewestVersion(int major, string flavor, string ubuntu) =>
        CudaBaseImage.OfferedVersions(flavor, ubuntu).LastOrDefault(v => v.StartsWith(major + ".", StringComparison.Ordinal));
}

/// <summary>Orders GNU symbol versions of one family, e.g. GLIBCXX_3.4.9 &lt; GLIBCXX_3.4.30.</summary>
public static class SymbolVersion
{
    /// <summary>Negative, zero or positive; null when the two are not dotted numbers of the same prefix (GLIBC_PRIVATE).</summary>
    public static int? Compare(string left, string right)
    {
        var (leftPrefix, leftNumbers) = Split(left);
        var (rightPrefix, rightNumbers) = Split(right);
        if (leftPrefix != rightPrefix || leftNumbers is null || rightNumbers is null)
        {
            return null;
        }

        for (var i = 0; i < Math.Max(leftNumbers.Length, rightNumbers.Length); i++)
        {
            var order = (i < leftNumbers.Length ? leftNumbers[i] : 0).CompareTo(i < rightNumbers.Length ? rightNumbers[i] : 0);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    private static (string Prefix, int[]? Numbers) Split(string version)
    {
        var underscore = version.LastIndexOf('_');
        var numbers = version[(underscore + 1)..].Split('.');
        var parsed = numbers.Select(n => int.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1).ToArray();
        return (version[..(underscore + 1)], parsed.Any(v => v < 0) ? null : parsed);
    }
}
