using System.IO.Compression;

namespace MultiLabel.Vision.Serialization;

/// <summary>Reads zip archives that hold weights (PyTorch's .pth, the learner export) as data: entries are read by name
/// into memory within a size limit, never extracted, and an archive with a path that leaves it (<c>../</c>, a rooted
/// path) or two entries of one name is refused as a whole.</summary>
static class ArchiveEntries
{
    public static ZipArchive Open(string path, string what)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}' is not {what}: it is not a complete zip archive ({e.Message}).", e); }
        var escaping = zip.Entries.FirstOrDefault(e => e.FullName.Split('/', '\\').Contains("..") || Path.IsPathRooted(e.FullName) || e.FullName.Contains(':'));
        if (escaping is not null)
        {
            zip.Dispose();
            throw new InvalidDataException($"'{path}' is refused: its entry '{escaping.FullName}' has a path outside the archive.");
        }
        // Two entries of one name: a reader picks one, another tool the other, so the file means two things.
        var twice = zip.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            zip.Dispose();
            throw new InvalidDataException($"'{path}' is refused: it has {twice.Count()} entries named '{twice.Key}'.");
        }
        return zip;
    }

    /// <summary>The entry's bytes, refusing more than <paramref name="limit"/> (whatever the entry claims).</summary>
    public static byte[] Read(ZipArchiveEntry entry, long limit, string path)
    {
        if (entry.Length > limit)
            throw new InvalidDataException($"'{path}': entry '{entry.FullName}' is {entry.Length:N0} bytes, over the limit of {limit:N0}.");
        using var source = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = source.Read(chunk)) > 0)
        {
            if (buffer.Length + n > limit)
                throw new InvalidDataException($"'{path}': entry '{entry.FullName}' expands beyond the limit of {limit:N0} bytes.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
