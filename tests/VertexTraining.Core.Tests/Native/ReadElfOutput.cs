using System.Text.RegularExpressions;
using VertexTraining.Core.Native;

namespace VertexTraining.Core.Tests.Native;

/// <summary>The same facts as <see cref="ElfLibrary"/>, parsed from binutils' readelf output: an independent reader.</summary>
internal sealed record ReadElfOutput(string? Soname, List<string> Needed, List<VersionNeed> VersionNeeds, List<string> VersionDefinitions)
{
    public static ReadElfOutput Parse(string text)
    {
        var needed = Regex.Matches(text, @"\(NEEDED\)\s+Shared library: \[(.+?)\]").Select(m => m.Groups[1].Value).ToList();
        var soname = Regex.Match(text, @"\(SONAME\)\s+Library soname: \[(.+?)\]") is { Success: true } s ? s.Groups[1].Value : null;
        var needs = new List<VersionNeed>();
        var definitions = new List<string>();
        string? section = null;
        string? file = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("Version needs section", StringComparison.Ordinal) || line.StartsWith("Version definition section", StringComparison.Ordinal))
            {
                section = line.StartsWith("Version needs", StringComparison.Ordinal) ? "needs" : "definitions";
                continue;
            }

            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                section = null;
            }

            if (section == "needs")
            {
                // "  0x0000: Version: 1  File: libc.so.6  Cnt: 3" then "  0x0010:   Name: GLIBC_2.14  Flags: none  Version: 5"
                if (Regex.Match(line, @"File: (\S+)\s+Cnt:") is { Success: true } f)
                {
                    file = f.Groups[1].Value;
                }
                else if (Regex.Match(line, @"Name: (\S+)\s+Flags:") is { Success: true } n && file is not null)
                {
                    needs.Add(new VersionNeed(file, n.Groups[1].Value));
                }
            }
            else if (section == "definitions" && Regex.Match(line, @"Flags: (\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)") is { Success: true } d && d.Groups[1].Value != "BASE")
            {
                definitions.Add(d.Groups[2].Value);
            }
        }

        return new(soname, needed, needs, definitions);
    }
}
