using System.Buffers.Binary;
using System.Text;

namespace VertexTraining.Core.Native;

/// <summary>One symbol version a library asks of another, e.g. <c>libstdc++.so.6</c> / <c>GLIBCXX_3.4.32</c>.</summary>
/// <param name="File">The soname the version is asked of (the verneed entry's <c>vn_file</c>).</param>
/// <param name="Version">The version name (the vernaux entry's <c>vna_name</c>).</param>
public sealed record VersionNeed(string File, string Version);

/// <summary>What the dynamic loader will ask for when it loads one ELF shared object or executable.</summary>
/// <param name="Path">The file read.</param>
/// <param name="Soname">DT_SONAME, when the file declares one.</param>
/// <param name="Needed">The DT_NEEDED sonames, in file order.</param>
/// <param name="VersionNeeds">The symbol versions required of other objects (SHT_GNU_verneed).</param>
/// <param name="VersionDefinitions">The symbol versions this object defines (SHT_GNU_verdef), e.g. GLIBC_2.35 for libc.so.6.</param>
public sealed record ElfLibrary(
    string Path,
    string? Soname,
    IReadOnlyList<string> Needed,
    IReadOnlyList<VersionNeed> VersionNeeds,
    IReadOnlyList<string> VersionDefinitions);

/// <summary>The outcome of reading a file: the library, or why it was not read.</summary>
/// <param name="Library">Set when the file is an ELF64 little-endian x86-64 object with the sections we read.</param>
/// <param name="IsElf">False for files that do not start with the ELF magic; those are simply not native libraries.</param>
/// <param name="SkipReason">Why an ELF file was not read (another architecture, a truncated file...).</param>
public sealed record ElfReadResult(ElfLibrary? Library, bool IsElf, string? SkipReason);

/// <summary>
/// Reads the dynamic-linking facts of an ELF file: DT_NEEDED, DT_SONAME, and the GNU symbol
/// version requirements and definitions. Written from the System V ABI (gABI), chapters
/// "ELF Header", "Sections" and "Dynamic Section" (https://www.sco.com/developers/gabi/latest/contents.html),
/// and the Linux Standard Base Core Specification, "Symbol Versioning"
/// (https://refspecs.linuxfoundation.org/LSB_5.0.0/LSB-Core-generic/LSB-Core-generic/symversion.html).
/// Only ELF64 little-endian x86-64 is read: the image's runtime is linux-x64, so anything else in
/// the publish output cannot be loaded there anyway. It seeks to the few small sections it needs,
/// so a 500 MB libtorch costs a handful of reads.
/// </summary>
public static class ElfReader
{
    // e_ident (gABI "ELF Identification").
    private const byte ElfClass64 = 2;
    private const byte ElfDataLittleEndian = 1;
    private const ushort MachineX86_64 = 62;
    private const ushort TypeExecutable = 2;
    private const ushort TypeSharedObject = 3;

    // sh_type values: SHT_DYNAMIC from the gABI, the GNU ones from the LSB.
    private const uint SectionDynamic = 6;
    private const uint SectionGnuVerdef = 0x6ffffffd;
    private const uint SectionGnuVerneed = 0x6ffffffe;

    // d_tag values (gABI "Dynamic Section").
    private const long TagNull = 0;
    private const long TagNeeded = 1;
    private const long TagSoname = 14;

    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int DynamicEntrySize = 16;

    /// <summary>A guard against corrupt headers sending us to read gigabytes as a string table.</summary>
    private const long MaxSectionSize = 64L * 1024 * 1024;

    private static readonly byte[] Magic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>Reads <paramref name="path"/>; never throws for a file's contents, only for I/O on it.</summary>
    public static ElfReadResult Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        var header = new byte[ElfHeaderSize];
        var headerLength = ReadAt(file, 0, header);
        if (headerLength < Magic.Length || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return new(null, IsElf: false, null);
        }

        if (headerLength < ElfHeaderSize)
        {
            return Skip("the file ends inside its ELF header");
        }

        if (header[4] != ElfClass64 || header[5] != ElfDataLittleEndian)
        {
            return Skip($"it is {(header[4] == ElfClass64 ? "64" : "32")}-bit {(header[5] == ElfDataLittleEndian ? "little" : "big")}-endian; the image runs linux-x64 (64-bit little-endian)");
        }

        var type = U16(header, 16);
        var machine = U16(header, 18);
        if (machine != MachineX86_64)
        {
            return Skip($"it is built for ELF machine {machine}, not x86-64 (62), so it cannot load on linux-x64");
        }

        if (type is not (TypeExecutable or TypeSharedObject))
        {
            return Skip($"it is an ELF object of type {type}, neither an executable nor a shared object");
        }

        try
        {
            return new(ReadDynamicFacts(file, path, header), IsElf: true, null);
        }
        catch (InvalidDataException e)
        {
            return Skip(e.Message);
        }
    }

    /// <summary>True when the file starts with the ELF magic (cheap: four bytes).</summary>
    public static bool IsElf(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        var start = new byte[Magic.Length];
        return ReadAt(file, 0, start) == Magic.Length && start.AsSpan().SequenceEqual(Magic);
    }

    private static ElfReadResult Skip(string reason) => new(null, IsElf: true, reason);

    private static ElfLibrary ReadDynamicFacts(FileStream file, string path, byte[] header)
    {
        var sectionTableOffset = (long)U64(header, 40);
        var sectionEntrySize = U16(header, 58);
        var sectionCount = U16(header, 60);
        if (sectionCount == 0)
        {
            // A file stripped of its section headers (sstrip) could still be read through PT_DYNAMIC;
            // no toolchain we know of ships libraries that way, so we say so rather than guess.
            throw new InvalidDataException("it has no section header table (e_shnum is 0)");
        }

        if (sectionEntrySize != SectionHeaderSize)
        {
            throw new InvalidDataException($"its section headers are {sectionEntrySize} bytes, not the {SectionHeaderSize} of ELF64");
        }

        var table = ReadBlock(file, sectionTableOffset, (long)sectionCount * SectionHeaderSize, "the section header table");
        var sections = Enumerable.Range(0, sectionCount).Select(i => Section.Parse(table, i * SectionHeaderSize)).ToArray();

        string? soname = null;
        var needed = new List<string>();
        var versionNeeds = new List<VersionNeed>();
        var versionDefinitions = new List<string>();
        foreach (var section in sections)
        {
            switch (section.Type)
            {
                case SectionDynamic:
                {
                    var strings = StringTable(file, sections, section);
                    var entries = ReadBlock(file, section.Offset, section.Size, "the dynamic section");
                    for (var at = 0; at + DynamicEntrySize <= entries.Length; at += DynamicEntrySize)
                    {
                        var tag = (long)U64(entries, at);
                        var value = U64(entries, at + 8);
                        if (tag == TagNull)
                        {
                            break;
                        }

                        if (tag == TagNeeded)
                        {
                            needed.Add(strings.At(value));
                        }
                        else if (tag == TagSoname)
                        {
                            soname = strings.At(value);
                        }
                    }

                    break;
                }

                case SectionGnuVerneed:
                    ReadVersionNeeds(file, sections, section, versionNeeds);
                    break;
                case SectionGnuVerdef:
                    ReadVersionDefinitions(file, sections, section, versionDefinitions);
                    break;
            }
        }

        return new ElfLibrary(path, soname, needed, versionNeeds, versionDefinitions);
    }

    /// <summary>
    /// LSB "Version Needed Section": sh_info Elf64_Verneed entries (vn_version u16, vn_cnt u16,
    /// vn_file u32, vn_aux u32, vn_next u32), each followed via vn_aux by vn_cnt Elf64_Vernaux
    /// entries (vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32). Offsets
    /// are relative to the entry they sit in; names index the section named by sh_link.
    /// </summary>
    private static void ReadVersionNeeds(FileStream file, Section[] sections, Section section, List<VersionNeed> needs)
    {
        var strings = StringTable(file, sections, section);
        var data = ReadBlock(file, section.Offset, section.Size, "the version needs section");
        long entry = 0;
        for (var i = 0; i < section.Info; i++)
        {
            Require(data, entry, 16, "a version need entry");
            var count = U16(data, (int)entry + 2);
            var fileName = strings.At(U32(data, (int)entry + 4));
            var aux = entry + U32(data, (int)entry + 8);
            for (var j = 0; j < count; j++)
            {
                Require(data, aux, 16, "a version need auxiliary entry");
                needs.Add(new VersionNeed(fileName, strings.At(U32(data, (int)aux + 8))));
                aux += U32(data, (int)aux + 12);
            }

            var next = U32(data, (int)entry + 12);
            if (next == 0)
            {
                break;
            }

            entry += next;
        }
    }

    /// <summary>
    /// LSB "Version Definition Section": sh_info Elf64_Verdef entries (vd_version u16, vd_flags u16,
    /// vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32); the first Elf64_Verdaux
    /// (vda_name u32, vda_next u32) of each names the version. The entry flagged VER_FLG_BASE (1)
    /// names the file itself and is not a version.
    /// </summary>
    private static void ReadVersionDefinitions(FileStream file, Section[] sections, Section section, List<string> definitions)
    {
        const ushort baseFlag = 1;
        var strings = StringTable(file, sections, section);
        var data = ReadBlock(file, section.Offset, section.Size, "the version definitions section");
        long entry = 0;
        for (var i = 0; i < section.Info; i++)
        {
            Require(data, entry, 20, "a version definition entry");
            var flags = U16(data, (int)entry + 2);
            var aux = entry + U32(data, (int)entry + 12);
            Require(data, aux, 8, "a version definition auxiliary entry");
            if ((flags & baseFlag) == 0)
            {
                definitions.Add(strings.At(U32(data, (int)aux)));
            }

            var next = U32(data, (int)entry + 16);
            if (next == 0)
            {
                break;
            }

            entry += next;
        }
    }

    private static StringTableReader StringTable(FileStream file, Section[] sections, Section owner)
    {
        if (owner.Link >= sections.Length)
        {
            throw new InvalidDataException($"a section links to string table {owner.Link}, past the {sections.Length} sections");
        }

        var table = sections[owner.Link];
        return new StringTableReader(ReadBlock(file, table.Offset, table.Size, "a string table"));
    }

    private static void Require(byte[] data, long at, int length, string what)
    {
        if (at < 0 || at + length > data.Length)
        {
            throw new InvalidDataException($"{what} lies outside its section");
        }
    }

    private static byte[] ReadBlock(FileStream file, long offset, long size, string what)
    {
        if (offset < 0 || size < 0 || size > MaxSectionSize || offset + size > file.Length)
        {
            throw new InvalidDataException($"{what} (offset {offset}, {size} bytes) lies outside the {file.Length}-byte file");
        }

        var block = new byte[size];
        if (ReadAt(file, offset, block) != size)
        {
            throw new InvalidDataException($"{what} could not be read in full");
        }

        return block;
    }

    private static int ReadAt(FileStream file, long offset, byte[] buffer) => RandomAccess.Read(file.SafeFileHandle, buffer, offset);

    private static ushort U16(byte[] data, int at) => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at));

    private static uint U32(byte[] data, int at) => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));

    private static ulong U64(byte[] data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at));

    /// <summary>An Elf64_Shdr: sh_name u32, sh_type u32, sh_flags u64, sh_addr u64, sh_offset u64, sh_size u64, sh_link u32, sh_info u32, ...</summary>
    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info)
    {
        public static Section Parse(byte[] table, int at) =>
            new(U32(table, at + 4), (long)U64(table, at + 24), (long)U64(table, at + 32), U32(table, at + 40), U32(table, at + 44));
    }

    /// <summary>gABI "String Table": NUL-terminated strings addressed by byte offset.</summary>
    private readonly struct StringTableReader(byte[] data)
    {
        public string At(ulong offset)
        {
            if (offset >= (ulong)data.Length)
            {
                throw new InvalidDataException($"a name at string table offset {offset} lies past its {data.Length} bytes");
            }

            var start = (int)offset;
            var end = Array.IndexOf(data, (byte)0, start);
            return Encoding.UTF8.GetString(data, start, (end < 0 ? data.Length : end) - start);
        }
    }
}
