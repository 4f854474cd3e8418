using System.Xml.Linq;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// Gives <c>VertexArg</c> items back as the user wrote them. MSBuild on Linux and macOS turns every
/// literal <c>\</c> of an item's Include into <c>/</c>, because it takes item specs for paths
/// (dotnet/msbuild#3468, #11083): <c>--regex=^\d+</c> would reach the trainer as <c>--regex=^/d+</c>.
/// The item's task parameter no longer knows the original, so it is read from the file that
/// defined the item: an Include there that is literal text (no <c>$()</c>, <c>@()</c> or <c>%()</c>) is split and
/// unescaped as MSBuild does, and each piece that MSBuild changed is put back. It also finds
/// Includes that MSBuild split on <c>;</c>, which would otherwise become two arguments silently.
/// </summary>
public static class ArgsAsWritten
{
    /// <summary>
    /// The restored arguments, in order, and a warning per Include that was split on ';'.
    /// Each item names the file that defined it (MSBuild's DefiningProjectFullPath metadata), so
    /// items from imported files are restored as well as the project's own.
    /// </summary>
    public static (IReadOnlyList<string> Args, IReadOnlyList<VertexDiagnostic> Warnings) Restore(
        IReadOnlyList<(string Spec, string? DefiningFile)> items)
    {
        // Per defining file: its literal Includes with their pieces (split once, for matching and for the warnings),
        // all pieces in document order, and where the next match is looked for.
        var files = new Dictionary<string, (List<(string Include, List<Piece> Parts)> Includes, List<Piece> Pieces, int Next)>(StringComparer.Ordinal);
        var args = new List<string>(items.Count);
        foreach (var (spec, definingFile) in items)
        {
            var file = definingFile ?? "";
            if (!files.TryGetValue(file, out var state))
            {
                var includes = ReadLiteralIncludes(definingFile).Select(include => (Include: include, Parts: SplitLikeMSBuild(include))).ToList();
                state = (includes, [.. includes.SelectMany(x => x.Parts)], 0);
            }

            // Pieces are matched in document order; items built from properties or with conditions
            // find no literal match and pass through unchanged.
            var match = state.Pieces.FindIndex(state.Next, p => p.AsMSBuildGivesIt == spec);
            if (match >= 0)
            {
                args.Add(state.Pieces[match].AsWritten);
                state.Next = match + 1;
            }
            else
            {
                args.Add(spec);
            }

            files[file] = state;
        }

        var warnings = files.Values
            .SelectMany(f => f.Includes)
            .Where(x => x.Parts.Count > 1)
            .Select(x => new VertexDiagnostic(
                DiagnosticCodes.ArgSplitOnSemicolon,
                VertexItem.Arg,
                $"{VertexItem.Arg} Include=\"{x.Include}\" became {x.Parts.Count} arguments " +
                $"({string.Join(", ", x.Parts.Select(p => $"'{p.AsWritten}'"))}): MSBuild splits an Include on ';'. " +
                $"Write one {VertexItem.Arg} per argument, or %3B for a ';' inside one argument.",
                IsWarning: true))
            .ToList();
        return (args, warnings);
    }

    /// <summary>The Include attributes of VertexArg elements that are plain text, in document order.</summary>
    private static List<string> ReadLiteralIncludes(string? projectFile)
    {
        if (string.IsNullOrEmpty(projectFile) || !File.Exists(projectFile))
        {
            return [];
        }

        XDocument document;
        try
        {
            document = XDocument.Load(projectFile);
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException or UnauthorizedAccessException)
        {
            return []; // MSBuild read it, so this is a race with an editor; the items pass through.
        }

        return document.Descendants()
            .Where(e => e.Name.LocalName == VertexItem.Arg)
            .Select(e => e.Attribute("Include")?.Value)
            .OfType<string>()
            .Where(include => !include.Contains("$(") && !include.Contains("@(") && !include.Contains("%("))
            .ToList();
    }

    private sealed record Piece(string AsWritten, string AsMSBuildGivesIt);

    /// <summary>
    /// MSBuild splits on literal ';', trims, drops empty pieces, then turns '\' into '/' in the
    /// still-escaped text (so an escaped %5C survives) and unescapes %XX.
    /// </summary>
    private static List<Piece> SplitLikeMSBuild(string include) =>
        include.Split(';')
            .Select(p => p.Trim())
            .Where(p => p.Length > 0)
            .Select(p => new Piece(Uri.UnescapeDataString(p), Uri.UnescapeDataString(p.Replace('\\', '/'))))
            .ToList();
}
