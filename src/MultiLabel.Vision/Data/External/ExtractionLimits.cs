namespace MultiLabel.Vision.Data.External;

/// <summary>The most an archive may unpack to: a gzip bomb or an archive of millions of empty entries is refused before
/// it fills the disk.</summary>
/// <param name="MaxBytes">the most bytes all files together may hold.</param>
/// <param name="MaxEntries">the most entries (files, folders, links) the archive may hold.</param>
public sealed record ExtractionLimits(long MaxBytes, int MaxEntries)
{
    /// <summary>For an archive of <paramref name="archiveBytes"/>: four times its size (photos barely compress, so a real
    /// archive unpacks to about its own size) and at least 64 MiB, and a million entries.</summary>
    public static ExtractionLimits ForArchiveOf(long archiveBytes) => new(Math.Max(4 * archiveBytes, 64L << 20), 1_000_000);
}
