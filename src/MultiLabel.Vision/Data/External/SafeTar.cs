using System.Formats.Tar;
using System.IO.Compression;

namespace MultiLabel.Vision.Data.External;

/// <summary>
/// Extracts a <c>.tgz</c> (or <c>.tar</c>) that came from elsewhere, treating it as data (System.Formats.Tar reads the
/// format; this class decides what may be written). Every entry must land inside the destination: absolute names,
/// <c>..</c> that climbs out, and links whose target leaves it refuse the whole archive, as do device and FIFO entries
/// and an archive over its <see cref="ExtractionLimits"/>. No link is ever created on disk: a link to a file extracted
/// earlier becomes a copy of it, so no later entry can write through a link.
/// </summary>
public static class SafeTar
{
    /// <summary>Extracts <paramref name="archive"/> into the empty or new folder <paramref name="destination"/>. On any
    /// refusal or error the exception names the archive and the entry; the caller discards the folder.</summary>
    public static void Extract(string archive, string destination, ExtractionLimits limits, CancellationToken cancellation = default)
    {
        var root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        using var file = File.OpenRead(archive);
        Stream stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(stream);
        var extracted = new Dictionary<string, string>(StringComparer.Ordinal); // entry path → file on disk, for links
        long bytes = 0;
        int entries = 0;
        TarEntry? entry;
        while ((entry = Next(reader, archive)) is not null)
        {
            cancellation.ThrowIfCancellationRequested();
            if (++entries > limits.MaxEntries) throw new UnsafeArchiveException(archive, entry.Name, $"is past the limit of {limits.MaxEntries:N0} entries");
            var relative = Inside(archive, entry.Name, entry.Name);
            var target = Path.Combine(root, relative);
            if (relative == "." && entry.EntryType != TarEntryType.Directory) throw new UnsafeArchiveException(archive, entry.Name, "has no file name");
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    bytes += entry.Length;
                    if (bytes > limits.MaxBytes) throw new UnsafeArchiveException(archive, entry.Name, $"takes the archive past the limit of {limits.MaxBytes:N0} bytes");
                    WriteFile(target, entry.DataStream, archive, entry.Name);
                    extracted[relative] = target;
                    break;
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    // A symbolic link's target is relative to the link's folder; a hard link's to the archive's root.
                    var linkBase = entry.EntryType == TarEntryType.SymbolicLink ? Path.GetDirectoryName(relative) ?? "" : "";
                    if (entry.LinkName.StartsWith('/')) throw new UnsafeArchiveException(archive, entry.Name, $"links to the absolute path {entry.LinkName}");
                    var linked = Inside(archive, entry.Name, Path.Combine(linkBase, entry.LinkName), $"links to {entry.LinkName}, outside the destination");
                    if (!extracted.TryGetValue(linked, out var source))
                        throw new UnsafeArchiveException(archive, entry.Name, $"links to {entry.LinkName}, which is not a file extracted before it");
                    bytes += new FileInfo(source).Length;
                    if (bytes > limits.MaxBytes) throw new UnsafeArchiveException(archive, entry.Name, $"takes the archive past the limit of {limits.MaxBytes:N0} bytes");
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(source, target, overwrite: true);
                    extracted[relative] = target;
                    break;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                    throw new UnsafeArchiveException(archive, entry.Name, "is a device");
                case TarEntryType.Fifo:
                    throw new UnsafeArchiveException(archive, entry.Name, "is a FIFO");
                default:
                    throw new UnsafeArchiveException(archive, entry.Name, $"is of a kind this reader does not extract ({entry.EntryType})");
            }
        }
    }

    static TarEntry? Next(TarReader reader, string archive)
    {
        try
        {
            return reader.GetNextEntry(copyData: false);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw new InvalidDataException($"{archive} is not a complete tar archive: {e.Message}", e);
        }
    }

    /// <summary>The entry's path relative to the destination, normalised; refuses one that would leave it.</summary>
    static string Inside(string archive, string entry, string name, string? reason = null)
    {
        if (name.Length == 0 || name.Contains('\0')) throw new UnsafeArchiveException(archive, entry, "has an empty or invalid name");
        if (name.StartsWith('/') || Path.IsPathRooted(name)) throw new UnsafeArchiveException(archive, entry, reason ?? "is an absolute path");
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) throw new UnsafeArchiveException(archive, entry, reason ?? "climbs out of the destination with ..");
                parts.RemoveAt(parts.Count - 1);
            }
            else parts.Add(part);
        }
        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    static void WriteFile(string target, Stream? data, string archive, string entry)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None);
        try
        {
            data?.CopyTo(output);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"{archive} is cut short in the entry '{entry}': {e.Message}", e);
        }
    }

    static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
