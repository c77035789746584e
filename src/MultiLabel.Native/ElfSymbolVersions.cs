using System.Buffers.Binary;
using System.Text;

namespace MultiLabel.Native;

/// <summary>A version a shared library needs from one of its dependencies (an ELF <c>Vernaux</c> entry).</summary>
/// <param name="File">The dependency's file name, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="IsWeak">Whether the entry carries <c>VER_FLG_WEAK</c>, so a missing version only warns.</param>
/// <param name="FlagsOffset">File offset of the entry's <c>vna_flags</c> field (where a patch writes).</param>
public sealed record VersionNeed(string File, string Version, bool IsWeak, long FlagsOffset);

/// <summary>
/// Reads the GNU symbol-versioning sections of a 64-bit little-endian ELF shared library:
/// the versions it defines (<c>.gnu.version_d</c>) and the versions it needs (<c>.gnu.version_r</c>).
/// Just enough ELF to decide whether a library loads against a given libstdc++, and to patch it.
/// </summary>
public sealed class ElfSymbolVersions
{
    const uint ShtGnuVerdef = 0x6ffffffd;
    const uint ShtGnuVerneed = 0x6ffffffe;
    /// <summary>VER_FLG_WEAK from elf.h: a missing version is reported, not fatal.</summary>
    public const ushort VerFlagWeak = 0x2;

    /// <summary>The file that was read.</summary>
    public string Path { get; }
    /// <summary>The symbol versions the library defines (for libstdc++: GLIBCXX_3.4, …).</summary>
    public IReadOnlyList<string> Defined { get; }
    /// <summary>The symbol versions the library needs from other libraries.</summary>
    public IReadOnlyList<VersionNeed> Needed { get; }

    ElfSymbolVersions(string path, IReadOnlyList<string> defined, IReadOnlyList<VersionNeed> needed)
    {
        Path = path;
        Defined = defined;
        Needed = needed;
    }

    /// <summary>Reads the version sections of the ELF file at <paramref name="path"/>.</summary>
    public static ElfSymbolVersions Read(string path) => Parse(path, File.ReadAllBytes(path));

    /// <summary>Parses the version sections of <paramref name="elf"/>; <paramref name="path"/> names it in errors.</summary>
    public static ElfSymbolVersions Parse(string path, ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException($"'{path}' is not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"'{path}' is not a 64-bit little-endian ELF file (class {elf[4]}, data {elf[5]}).");

        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A);
        int shnum = U16(elf, 0x3C);
        if (shoff == 0 || shnum == 0 || shentsize < 64 || shoff + (long)shnum * shentsize > elf.Length)
            throw new InvalidDataException($"'{path}' has no readable section headers.");

        var defined = new List<string>();
        var needed = new List<VersionNeed>();
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            uint type = U32(elf, sh + 4);
            if (type != ShtGnuVerdef && type != ShtGnuVerneed) continue;
            int offset = checked((int)U64(elf, sh + 0x18));
            int link = (int)U32(elf, sh + 0x28);
            int count = (int)U32(elf, sh + 0x2C);
            int strtab = checked((int)U64(elf, checked((int)(shoff + (long)link * shentsize)) + 0x18));
            if (type == ShtGnuVerdef) ReadDefinitions(elf, offset, count, strtab, defined);
            else ReadNeeds(elf, offset, count, strtab, needed);
        }
        return new ElfSymbolVersions(path, defined, needed);
    }

    static void ReadDefinitions(ReadOnlySpan<byte> elf, int offset, int count, int strtab, List<string> into)
    {
        int vd = offset;
        for (int i = 0; i < count; i++)
        {
            // Verdef: version(2) flags(2) ndx(2) cnt(2) hash(4) aux(4) next(4); the first Verdaux names it.
            uint aux = U32(elf, vd + 12);
            uint next = U32(elf, vd + 16);
            into.Add(CString(elf, strtab + (int)U32(elf, vd + (int)aux)));
            if (next == 0) break;
            vd += (int)next;
        }
    }

    static void ReadNeeds(ReadOnlySpan<byte> elf, int offset, int count, int strtab, List<VersionNeed> into)
    {
        int vn = offset;
        for (int i = 0; i < count; i++)
        {
            // Verneed: version(2) cnt(2) file(4) aux(4) next(4)
            int cnt = U16(elf, vn + 2);
            string file = CString(elf, strtab + (int)U32(elf, vn + 4));
            int vna = vn + (int)U32(elf, vn + 8);
            for (int j = 0; j < cnt; j++)
            {
                // Vernaux: hash(4) flags(2) other(2) name(4) next(4)
                ushort flags = U16(elf, vna + 4);
                string name = CString(elf, strtab + (int)U32(elf, vna + 8));
                into.Add(new VersionNeed(file, name, (flags & VerFlagWeak) != 0, vna + 4));
                uint nextAux = U32(elf, vna + 12);
                if (nextAux == 0) break;
                vna += (int)nextAux;
            }
            uint next = U32(elf, vn + 12);
            if (next == 0) break;
            vn += (int)next;
        }
    }

    /// <summary>Marks the given needs weak in <paramref name="elf"/> (a copy of the file's bytes).</summary>
    public static void MarkWeak(Span<byte> elf, IEnumerable<VersionNeed> needs)
    {
        foreach (var need in needs)
        {
            var field = elf.Slice(checked((int)need.FlagsOffset), 2);
            BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(field) | VerFlagWeak));
        }
    }

    static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(at, 2));
    static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at, 4));
    static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(at, 8));

    static string CString(ReadOnlySpan<byte> b, int at)
    {
        int end = b[at..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? b[at..] : b.Slice(at, end));
    }
}
