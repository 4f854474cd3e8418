using System.Globalization;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Native;

/// <summary>What the check saw, for the build's summary line and for tests.</summary>
/// <param name="Libraries">The ELF files read, relative to the publish folder.</param>
/// <param name="Skipped">ELF files not read, with the reason.</param>
/// <param name="NotChecked">Sonames and versions the base's facts do not cover, e.g. liblttng-ust.so.0.</param>
public sealed record NativeCheckReport(IReadOnlyList<string> Libraries, IReadOnlyList<(string File, string Reason)> Skipped, IReadOnlyList<string> NotChecked);

/// <summary>
/// Checks every native library of a publish output against what the base provides, so that a
/// library that cannot load fails the build instead of the job, after it waited for a GPU.
/// </summary>
public static class NativeCompatibilityCheck
{
    /// <summary>How the user turns the check off; named in every error.</summary>
    public const string SwitchProperty = "VertexNativeCheck";

    /// <summary>Reads <paramref name="publishDirectory"/> recursively and reports into <paramref name="diagnostics"/>.</summary>
    public static NativeCheckReport Run(string publishDirectory, INativeBase nativeBase, DiagnosticBag diagnostics)
    {
        var libraries = new List<(string Relative, ElfLibrary Library, long Size)>();
        var skipped = new List<(string, string)>();
        foreach (var path in Directory.EnumerateFiles(publishDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(publishDirectory, path);
            ElfReadResult read;
            try
            {
                read = ElfReader.Read(path);
            }
            catch (IOException e)
            {
                diagnostics.Warning(DiagnosticCodes.NativeLibraryUnreadable, SwitchProperty, $"{relative} could not be read for the native compatibility check: {e.Message}");
                continue;
            }

            if (read.Library is { } library)
            {
                libraries.Add((relative, library, new FileInfo(path).Length));
            }
            else if (read.IsElf)
            {
                skipped.Add((relative, read.SkipReason ?? "unreadable"));
                diagnostics.Warning(DiagnosticCodes.NativeLibraryUnreadable, SwitchProperty, $"{relative} was not checked against {nativeBase.Name}: {read.SkipReason}.");
            }
        }

        // What the publish output provides itself: by file name (how NativeLibrary and dlopen
        // find it) and by DT_SONAME (how the loader matches DT_NEEDED once it is loaded).
        var shipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, library, _) in libraries)
        {
            shipped.Add(Path.GetFileName(relative));
            if (library.Soname is not null)
            {
                shipped.Add(library.Soname);
            }
        }

        var notChecked = new SortedSet<string>(StringComparer.Ordinal);
        var stillNeededCuda = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, library, _) in libraries)
        {
            var shortfalls = new List<(string Need, Answer Answer)>();
            foreach (var soname in library.Needed.Where(s => !shipped.Contains(s)).Distinct())
            {
                if (CudaImageFacts.Identify(soname) is not null)
                {
                    stillNeededCuda.Add(soname);
                }

                Classify(soname, nativeBase.Soname(soname), shortfalls, notChecked);
            }

            // Only the newest version asked of each file and family matters: the older ones are
            // in the same library if the newest is.
            var newestNeeds = library.VersionNeeds
                .Where(n => !shipped.Contains(n.File))
                .GroupBy(n => (n.File, Family: n.Version[..(n.Version.LastIndexOf('_') + 1)]))
                .Select(g => g.Aggregate((a, b) => SymbolVersion.Compare(a.Version, b.Version) >= 0 ? a : b));
            foreach (var need in newestNeeds)
            {
                Classify($"{need.Version} of {need.File}", nativeBase.Version(need), shortfalls, notChecked);
            }

            if (shortfalls.Count > 0)
            {
                Report(relative, nativeBase, shortfalls, diagnostics);
            }
        }

        WarnAboutShippedCuda(libraries, nativeBase, stillNeededCuda, diagnostics);
        return new([.. libraries.Select(l => l.Relative)], skipped, [.. notChecked]);
    }

    private static void Classify(string need, Answer answer, List<(string, Answer)> shortfalls, SortedSet<string> notChecked)
    {
        if (answer.Availability == Availability.Missing)
        {
            shortfalls.Add((need, answer));
        }
        else if (answer.Availability == Availability.NotChecked)
        {
            notChecked.Add(need);
        }
    }

    private static void Report(string relative, INativeBase nativeBase, List<(string Need, Answer Answer)> shortfalls, DiagnosticBag diagnostics)
    {
        var needs = string.Join("; ", shortfalls.Select(s => $"it needs {s.Need}, and {s.Answer.Has}"));
        var fixes = string.Join(", and ", shortfalls.Select(s => s.Answer.Fix).Distinct());
        diagnostics.Error(DiagnosticCodes.NativeLibraryIncompatible, shortfalls[0].Answer.Property ?? SwitchProperty,
            $"{relative} cannot load on {nativeBase.Name}: {needs}. Fix: set {fixes}. "
            + $"(Set {SwitchProperty}=false to build anyway.)");
    }

    /// <summary>CUDA libraries in the publish output that the base installs too: every replica pulls them twice.</summary>
    private static void WarnAboutShippedCuda(List<(string Relative, ElfLibrary Library, long Size)> libraries, INativeBase nativeBase, HashSet<string> stillNeeded, DiagnosticBag diagnostics)
    {
        var duplicated = libraries
            .Select(l => (l.Relative, l.Size, Soname: l.Library.Soname ?? Path.GetFileName(l.Relative)))
            .Select(l => (l.Relative, l.Size, l.Soname, Known: CudaImageFacts.Identify(l.Soname)))
            .Where(l => l.Known is not null && nativeBase.Soname(l.Soname).Availability == Availability.Present)
            .ToList();
        if (duplicated.Count == 0)
        {
            return;
        }

        if (nativeBase.LighterFlavor(stillNeeded) is not { } lighter)
        {
            return;
        }

        // The lighter flavour drops the shipped copies of what it does not carry (cuDNN for base),
        // and with them every library of the current flavour that nothing here needs.
        var lighterCarries = CudaImageFacts.FlavorOrder.TakeWhile(f => f != lighter).Append(lighter).ToList();
        var dropped = duplicated.Where(d => !lighterCarries.Contains(d.Known!.Value.Library.Flavor)).ToList();
        var kept = duplicated.Except(dropped).Select(d => d.Soname).Distinct().ToList();
        var droppedBytes = dropped.Sum(d => d.Size);
        diagnostics.Warning(DiagnosticCodes.CudaLibrariesShippedTwice, "VertexCudaFlavor",
            $"The publish output carries CUDA libraries that {nativeBase.Name} installs too, so every replica pulls them twice: "
            + $"{string.Join(", ", duplicated.Select(d => $"{d.Relative} ({Bytes(d.Size)})"))}. "
            + $"Set VertexCudaFlavor={lighter}: it still has everything the native libraries need from the base, and leaves out "
            + (dropped.Count > 0 ? $"the second copy of {string.Join(", ", dropped.Select(d => d.Soname).Distinct())} ({Bytes(droppedBytes)}) and " : "")
            + $"the libraries of the heavier flavour that nothing here needs"
            + (kept.Count > 0 ? $"; it still carries {string.Join(", ", kept)} itself." : "."));
    }

    private static string Bytes(long bytes) =>
        $"{bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes, {(bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture)} MB";
}
